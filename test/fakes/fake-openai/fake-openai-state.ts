import { DEFAULT_FAKE_OPENAI_MODELS } from './model-catalog.js';
import { createRateLimiter } from './rate-limiter.js';
import type { RateLimiter } from './rate-limiter.js';
import type {
	FakeOpenAiModel,
	FakeOpenAiStats,
	ModelsOutage,
	OpenAiResponder,
	OpenAiScenario,
	RecordedChatRequest,
	RecordedModelsRequest,
} from './types.js';

type Waiter = { count: number; resolve: () => void };

/** Mutable server state shared by the request handlers and the public `FakeOpenAi` object. */
export type FakeOpenAiState = {
	readonly apiKey: string | undefined;
	readonly defaultChunkDelayMs: number;
	readonly queue: OpenAiScenario[];
	responder: OpenAiResponder | undefined;
	readonly limiter: RateLimiter;
	readonly requests: RecordedChatRequest[];
	readonly stats: FakeOpenAiStats;
	models: readonly FakeOpenAiModel[];
	modelsOutage: ModelsOutage | undefined;
	readonly modelsRequests: RecordedModelsRequest[];
	/** Set by close(): connections destroyed from then on are not client aborts. */
	closing: boolean;
	/** Bumped by reset(), so that aborts of connections opened before a reset are not counted after it. */
	generation: number;
	record(request: RecordedChatRequest): void;
	/** Resolves once `count` requests are recorded; returns a cancel function. */
	onRequestCount(count: number, resolve: () => void): () => void;
	reset(): void;
};

export function createFakeOpenAiState(apiKey: string | undefined, defaultChunkDelayMs: number): FakeOpenAiState {
	const waiters = new Set<Waiter>();
	const state: FakeOpenAiState = {
		apiKey,
		defaultChunkDelayMs,
		queue: [],
		responder: undefined,
		limiter: createRateLimiter(),
		requests: [],
		stats: { openStreams: 0, maxConcurrentStreams: 0, clientAborts: 0, served429: 0 },
		models: DEFAULT_FAKE_OPENAI_MODELS,
		modelsOutage: undefined,
		modelsRequests: [],
		closing: false,
		generation: 0,
		record(request) {
			state.requests.push(request);
			for (const waiter of waiters) {
				if (state.requests.length >= waiter.count) {
					waiters.delete(waiter);
					waiter.resolve();
				}
			}
		},
		onRequestCount(count, resolve) {
			if (state.requests.length >= count) {
				resolve();
				return () => undefined;
			}
			const waiter = { count, resolve };
			waiters.add(waiter);
			return () => waiters.delete(waiter);
		},
		reset() {
			state.queue.length = 0;
			state.responder = undefined;
			state.requests.length = 0;
			state.modelsRequests.length = 0;
			state.models = DEFAULT_FAKE_OPENAI_MODELS;
			state.modelsOutage = undefined;
			state.limiter.setLimit(undefined);
			state.generation += 1;
			// Streams still open stay counted so that openStreams never goes negative when they close.
			Object.assign(state.stats, { maxConcurrentStreams: state.stats.openStreams, clientAborts: 0, served429: 0 });
		},
	};
	return state;
}
