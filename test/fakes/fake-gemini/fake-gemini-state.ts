import { DEFAULT_FAKE_MODELS } from './model-catalog.js';
import { createRateLimiter } from './rate-limiter.js';
import type { RateLimiter } from './rate-limiter.js';
import type {
	FakeGeminiModel,
	FakeGeminiStats,
	GeminiResponder,
	GeminiScenario,
	ModelsOutage,
	RecordedGeminiRequest,
	RecordedModelsRequest,
} from './types.js';

type Waiter = { count: number; resolve: () => void };

/** Mutable server state shared by the request handler and the public `FakeGemini` object. */
export type FakeGeminiState = {
	readonly apiKey: string;
	/** The Bearer token the Vertex AI routes accept. */
	accessToken: string;
	readonly defaultChunkDelayMs: number;
	readonly queue: GeminiScenario[];
	responder: GeminiResponder | undefined;
	readonly limiter: RateLimiter;
	readonly requests: RecordedGeminiRequest[];
	readonly stats: FakeGeminiStats;
	/** What models.get / models.list know, in listing order. */
	models: readonly FakeGeminiModel[];
	modelsOutage: ModelsOutage | undefined;
	readonly modelsRequests: RecordedModelsRequest[];
	/** Vertex AI location → what its generation requests answer. */
	readonly failedLocations: Map<string, GeminiScenario>;
	/** Set by close(): connections destroyed from then on are not client aborts. */
	closing: boolean;
	/** Bumped by reset(), so that aborts of connections opened before a reset are not counted after it. */
	generation: number;
	record(request: RecordedGeminiRequest): void;
	/** Resolves once `count` requests are recorded; returns a cancel function. */
	onRequestCount(count: number, resolve: () => void): () => void;
	reset(): void;
};

export function createFakeGeminiState(
	apiKey: string,
	accessToken: string,
	defaultChunkDelayMs: number,
): FakeGeminiState {
	const waiters = new Set<Waiter>();
	const state: FakeGeminiState = {
		apiKey,
		accessToken,
		defaultChunkDelayMs,
		queue: [],
		responder: undefined,
		limiter: createRateLimiter(),
		requests: [],
		stats: { openStreams: 0, maxConcurrentStreams: 0, clientAborts: 0, served429: 0 },
		models: DEFAULT_FAKE_MODELS,
		modelsOutage: undefined,
		modelsRequests: [],
		failedLocations: new Map(),
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
			state.models = DEFAULT_FAKE_MODELS;
			state.modelsOutage = undefined;
			state.failedLocations.clear();
			state.accessToken = accessToken;
			state.limiter.setLimit(undefined);
			state.generation += 1;
			// Streams still open stay counted so that openStreams never goes negative when they close.
			Object.assign(state.stats, {
				maxConcurrentStreams: state.stats.openStreams,
				clientAborts: 0,
				served429: 0,
			});
		},
	};
	return state;
}
