import type { GeminiCodeExecution, GeminiGrounding, GeminiUrlContext } from './tool-types.js';

export type StartFakeGeminiOptions = {
	/** Key the fake accepts in `x-goog-api-key` (or `?key=`). @default 'test-key' */
	readonly apiKey?: string;
	/** Pause between streamed chunks when a scenario sets none. @default 10 */
	readonly defaultChunkDelayMs?: number;
};

export type GeminiAction = 'generateContent' | 'streamGenerateContent' | 'countTokens';

export type RecordedGeminiRequest = {
	method: string;
	path: string;
	apiVersion: string;
	model: string;
	action: GeminiAction;
	query: Record<string, string>;
	headers: Record<string, string>;
	body: unknown;
	/** The request's `tools` array as sent (`[]` when none), e.g. `[{ googleSearch: {} }, { codeExecution: {} }]`. */
	tools: unknown[];
	/**
	 * Per content: its text parts joined, and (non-enumerable, so that `toEqual([{ role, text }])` still holds)
	 * its text and inline-data parts in order.
	 */
	contents: RecordedContent[];
	/** Decoded inline data of `contents`, in order; the system instruction's is not included. */
	inlineData: RecordedInlineData[];
	/** Text parts joined. */
	systemInstruction: string | undefined;
	/** As sent: `temperature`, `maxOutputTokens`, `thinkingConfig: { thinkingBudget }`, ... */
	generationConfig: Record<string, unknown> | undefined;
	receivedAt: number;
};

export type RecordedContent = { role: string; text: string; parts: RecordedPart[] };

/** A text part (thought parts included) or an inline-data part with its decoded size; other part kinds are left out. */
export type RecordedPart = { text: string } | { inlineData: { mimeType: string; bytes: number } };

export type RecordedInlineData = { contentIndex: number; mimeType: string; data: Buffer };

/** An image the model answers with; sent base64-encoded in an `inlineData` part. */
export type GeminiImage = { mimeType: string; data: Buffer };

export type GeminiUsage = {
	promptTokenCount?: number;
	candidatesTokenCount?: number;
	thoughtsTokenCount?: number;
	/** Implicitly cached share of the prompt, sent on every chunk as `usageMetadata.cachedContentTokenCount`. */
	cachedContentTokenCount?: number;
};

export type ErrorContentType = 'event-stream' | 'json';

export type GeminiScenario =
	| {
			kind: 'reply';
			chunks: readonly string[];
			/** @default 'STOP' */
			finishReason?: string;
			chunkDelayMs?: number;
			/** Time to first token: the stream opens at once, its first event comes this much later. */
			firstChunkDelayMs?: number;
			thought?: string;
			usage?: GeminiUsage;
			groundingMetadata?: GeminiGrounding;
			urlContext?: readonly GeminiUrlContext[];
			code?: readonly GeminiCodeExecution[];
	  }
	| {
			kind: 'http-error';
			status: number;
			message?: string;
			/** Protobuf duration such as '1.5s', sent as RetryInfo.retryDelay. */
			retryDelay?: string;
			quotaId?: string;
			/** @default 'event-stream' on stream routes (as Google does), 'json' on unary ones */
			errorContentType?: ErrorContentType;
	  }
	| { kind: 'per-day-429' }
	| { kind: 'sse-error-after'; chunks: readonly string[]; /** @default 503 */ status?: number; chunkDelayMs?: number }
	| { kind: 'drop-after'; chunks: readonly string[]; chunkDelayMs?: number }
	| { kind: 'hang-after'; chunks: readonly string[]; chunkDelayMs?: number }
	| { kind: 'no-finish'; chunks: readonly string[]; chunkDelayMs?: number }
	| {
			/** Parts: thought, text, then one `inlineData` part per image (on streams: one chunk each). */
			kind: 'image';
			text?: string;
			images: readonly GeminiImage[];
			thought?: string;
			/** @default 'STOP'; e.g. 'IMAGE_SAFETY' or 'SAFETY' with no images */
			finishReason?: string;
			chunkDelayMs?: number;
			usage?: GeminiUsage;
	  }
	/** An image request answered with text alone, which image models sometimes do. */
	| { kind: 'text-only'; text: string }
	/** Only thought parts: no text, no image. */
	| { kind: 'thoughts-only'; thought: string }
	| { kind: 'blocked-prompt'; /** @default 'SAFETY' */ blockReason?: string }
	| { kind: 'malformed' };

/** A model `models.get` / `models.list` know; `name` without the `models/` prefix. */
export type FakeGeminiModel = {
	name: string;
	/** @default name */
	displayName?: string;
	/** @default '001' */
	version?: string;
	description?: string;
	/** @default 1_048_576 */
	inputTokenLimit?: number;
	/** @default 65_536 */
	outputTokenLimit?: number;
	/** @default ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'] */
	supportedGenerationMethods?: readonly string[];
	/** @default false */
	thinking?: boolean;
};

/** How `models.get` / `models.list` fail: 503 UNAVAILABLE, the socket destroyed, or no answer at all. */
export type ModelsOutage = 'unavailable' | 'drop' | 'hang';

/** A `models.get` (`GET /{version}/models/{name}`) or `models.list` (`GET /{version}/models`) request. */
export type RecordedModelsRequest = {
	method: string;
	path: string;
	apiVersion: string;
	kind: 'get' | 'list';
	/** The name asked for, without `models/` (undefined for list). */
	model: string | undefined;
	query: Record<string, string>;
	headers: Record<string, string>;
	receivedAt: number;
};

export type GeminiResponder = (request: RecordedGeminiRequest) => GeminiScenario | undefined;

export type FakeGeminiStats = {
	openStreams: number;
	maxConcurrentStreams: number;
	clientAborts: number;
	served429: number;
};

export type FakeGemini = {
	/** 'http://127.0.0.1:PORT': pass as `httpOptions.baseUrl`. */
	readonly url: string;
	readonly apiKey: string;
	/** FIFO of scripted outcomes; each generateContent / streamGenerateContent request consumes one. */
	enqueue(...scenarios: GeminiScenario[]): void;
	/** Used when the FIFO is empty (default: echo reply). Return undefined for the default. */
	respondWith(responder: GeminiResponder | undefined): void;
	/** Token-bucket RPM limit per model with realistic 429s; `undefined` disables it. */
	setRequestsPerMinute(limit: number | undefined): void;
	/** Every routed request in arrival order, including rejected ones (snapshot). */
	readonly requests: readonly RecordedGeminiRequest[];
	waitForRequests(count: number, timeoutMs?: number): Promise<readonly RecordedGeminiRequest[]>;
	/**
	 * The models `models.get` and `models.list` know, in listing order (a string is a text model with the default
	 * fields). Generation routes still answer for any model. @default DEFAULT_FAKE_MODELS
	 */
	setModels(models: readonly (string | FakeGeminiModel)[]): void;
	/** Makes `models.get` / `models.list` fail like an outage (`true` = 'unavailable'); `false` ends it. */
	setModelsUnavailable(outage: boolean | ModelsOutage): void;
	/** Every models.get / models.list request (snapshot); kept apart from `requests`, which are generation calls. */
	readonly modelsRequests: readonly RecordedModelsRequest[];
	/** Snapshot of the connection counters. */
	readonly stats: FakeGeminiStats;
	/** Clears the FIFO, responder, requests, counters and rate limit; restores the default models, ends an outage. */
	reset(): void;
	/** Ends open streams, destroys sockets and stops listening. */
	close(): Promise<void>;
};
