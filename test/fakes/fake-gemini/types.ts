import type { GeminiCodeExecution, GeminiGrounding, GeminiUrlContext } from './tool-types.js';

export type StartFakeGeminiOptions = {
	/** Key the fake accepts in `x-goog-api-key` (or `?key=`). @default 'test-key' */
	readonly apiKey?: string;
	/**
	 * Token the Vertex AI routes accept in `Authorization: Bearer …`.
	 * @default 'test-access-token' (what the fake metadata server hands out by default)
	 */
	readonly accessToken?: string;
	/** Pause between streamed chunks when a scenario sets none. @default 10 */
	readonly defaultChunkDelayMs?: number;
};

export type GeminiAction = 'generateContent' | 'streamGenerateContent' | 'countTokens';

/** Where a Vertex AI request went: the project and location of its path. */
export type VertexScope = { project: string; location: string };

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
	/** Set on Vertex AI routes (`/{v1|v1beta1}/projects/{project}/locations/{location}/publishers/google/…`). */
	vertex: VertexScope | undefined;
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
	/**
	 * Vertex AI's 429: RESOURCE_EXHAUSTED, "Resource exhausted. Please try again later. …", no details (so no
	 * RetryInfo) unless `retryDelay` is given. On Vertex routes an `http-error` 429 and a `per-day-429` are answered
	 * this way too (keeping the 429's message, retryDelay and errorContentType).
	 */
	| { kind: 'resource-exhausted'; message?: string; retryDelay?: string; errorContentType?: ErrorContentType }
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

/**
 * A `models.get` (`GET /{version}/models/{name}`) or `models.list` (`GET /{version}/models`) request; on Vertex AI
 * `GET /{v1|v1beta1}/publishers/google/models[/{name}]`, which carries no project or location.
 */
export type RecordedModelsRequest = {
	method: string;
	path: string;
	apiVersion: string;
	kind: 'get' | 'list';
	/** The name asked for, without `models/` or `publishers/google/models/` (undefined for list). */
	model: string | undefined;
	/** True on the Vertex AI publisher-model routes. */
	vertex: boolean;
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
	/** The Bearer token the Vertex AI routes accept now. */
	readonly accessToken: string;
	/** Accepts only `token` on the Vertex AI routes from now on (the Developer API routes keep their key). */
	setAccessToken(token: string): void;
	/** FIFO of scripted outcomes; each generateContent / streamGenerateContent request consumes one. */
	enqueue(...scenarios: GeminiScenario[]): void;
	/** Used when the FIFO is empty (default: echo reply). Return undefined for the default. */
	respondWith(responder: GeminiResponder | undefined): void;
	/**
	 * Token-bucket RPM limit per model with realistic 429s; `undefined` disables it. On Vertex AI routes each location
	 * has its own buckets and the 429 is Vertex's (RESOURCE_EXHAUSTED naming the quota, no RetryInfo).
	 */
	setRequestsPerMinute(limit: number | undefined): void;
	/**
	 * Makes every generateContent / streamGenerateContent request to a Vertex AI `location` play `scenario` (e.g.
	 * `{ kind: 'resource-exhausted' }`, `{ kind: 'http-error', status: 503 }`) until called with `undefined`. Such
	 * requests are recorded but consume neither the FIFO nor the rate limit; other locations answer as usual.
	 */
	failLocation(location: string, scenario: GeminiScenario | undefined): void;
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
	/**
	 * Clears the FIFO, responder, requests, counters, rate limit and failed locations; restores the default models and
	 * the access token given at start, ends an outage.
	 */
	reset(): void;
	/** Ends open streams, destroys sockets and stops listening. */
	close(): Promise<void>;
};
