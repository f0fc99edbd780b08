export type StartFakeOpenAiOptions = {
	/**
	 * The key to expect in `Authorization: Bearer <key>`; a missing or different one gets 401 `invalid_api_key`.
	 * @default undefined: any key or none is accepted, as local servers (Ollama, LM Studio) do
	 */
	readonly apiKey?: string;
	/** Pause between streamed chunks when a scenario sets none. @default 10 */
	readonly defaultChunkDelayMs?: number;
};

/** The `{ error: { ... } }` body OpenAI answers failures with. */
export type OpenAiErrorBody = {
	message: string;
	type: string;
	param: string | null;
	code: string | null;
};

/** Scripted errors shaped like OpenAI's own (status, body and headers). */
export type OpenAiErrorPreset =
	/** 429 `rate_limit_exceeded` (type `requests`) with `retry-after`, `retry-after-ms` and `x-ratelimit-*`. */
	| 'rate-limit'
	/** 429 `insufficient_quota`: billing, not pacing; no retry-after headers, since waiting does not fix it. */
	| 'insufficient-quota'
	/** 400 `context_length_exceeded`, param `messages`. */
	| 'context-length'
	/** 401 `invalid_api_key`. */
	| 'invalid-api-key'
	/** 403 `unsupported_country_region_territory`. */
	| 'forbidden'
	/** 404 `model_not_found` naming the requested model. */
	| 'model-not-found'
	/** 500 `server_error`. */
	| 'server-error'
	/** 503 "The server is overloaded or not ready yet." */
	| 'overloaded';

/** Overrides for the usage chunk; anything left out is estimated (see `estimateTokens`). */
export type OpenAiUsage = {
	prompt_tokens?: number;
	/** @default answer tokens + reasoning tokens, as OpenAI counts them */
	completion_tokens?: number;
	/** @default prompt_tokens + completion_tokens */
	total_tokens?: number;
	/** `prompt_tokens_details.cached_tokens`. @default 0 */
	cached_tokens?: number;
	/** `completion_tokens_details.reasoning_tokens`. @default the reasoning text's estimate, else 0 */
	reasoning_tokens?: number;
};

export type OpenAiReasoningField = 'reasoning_content' | 'reasoning';

type HttpErrorFields = {
	kind: 'http-error';
	/** Merged over the preset's body (or over a generic body for the status). */
	error?: Partial<OpenAiErrorBody>;
	/** Sent as-is, after the preset's headers, e.g. `{ 'x-should-retry': 'false' }`. */
	headers?: Readonly<Record<string, string>>;
	/** Sets `retry-after-ms` and `retry-after` (whole seconds, rounded up). @default 1_000 for 'rate-limit' */
	retryAfterMs?: number;
};

export type OpenAiScenario =
	| {
			kind: 'reply';
			/** Text deltas, one `delta.content` chunk each (unary: joined into one message). */
			chunks: readonly string[];
			/** e.g. 'length', 'content_filter'. @default 'stop' */
			finishReason?: string;
			chunkDelayMs?: number;
			/** Time to first token: the response headers go out at once, the first chunk this much later. */
			firstChunkDelayMs?: number;
			/** Streamed before the answer, one chunk per string; never as `content`. */
			reasoning?: string | readonly string[];
			/** DeepSeek / vLLM say `reasoning_content`, Ollama and OpenRouter `reasoning`. @default 'reasoning_content' */
			reasoningField?: OpenAiReasoningField;
			usage?: OpenAiUsage;
	  }
	| (HttpErrorFields & ({ preset: OpenAiErrorPreset; status?: number } | { status: number; preset?: undefined }))
	/** Some chunks, then the socket destroyed (unary: half a body, then the socket destroyed). */
	| { kind: 'drop-after'; chunks: readonly string[]; chunkDelayMs?: number }
	/**
	 * Some chunks, then `data: {"error": {...}}` and the end of the stream.
	 * Unary: the error as an HTTP response with `status`.
	 */
	| {
			kind: 'error-after';
			chunks: readonly string[];
			chunkDelayMs?: number;
			/** @default the 'server-error' preset's body */
			error?: Partial<OpenAiErrorBody>;
			/** Unary only. @default 500 */
			status?: number;
	  }
	/** Some chunks, then nothing until the client goes away (unary: no answer at all). */
	| { kind: 'hang-after'; chunks: readonly string[]; chunkDelayMs?: number };

/** A model `GET /models` lists. */
export type FakeOpenAiModel = {
	id: string;
	/** @default 'system' */
	ownedBy?: string;
	/** Unix seconds. @default 1_715_367_049 */
	created?: number;
	/**
	 * OpenRouter-style `architecture.input_modalities`; left out of the listing when undefined (as OpenAI does).
	 * A model declared without 'image' answers image requests with OpenRouter's 404.
	 */
	inputModalities?: readonly string[];
};

/** How `GET /models` fails: 503, the socket destroyed, or no answer at all. */
export type ModelsOutage = 'unavailable' | 'drop' | 'hang';

/** A decoded `data:image/...;base64,` URL. */
export type RecordedImage = { mimeType: string; bytes: Buffer };

export type RecordedMessage = {
	role: string;
	/** A string content as is; the text parts of an array content joined. */
	text: string;
	name?: string;
	/**
	 * This message's decoded images, in order. Non-enumerable, so that `toEqual([{ role, text }])` holds for
	 * messages with images too; read it directly or through the request's `images`.
	 */
	images: RecordedImage[];
};

export type RecordedChatRequest = {
	method: string;
	path: string;
	headers: Record<string, string>;
	/** Parsed JSON, or the raw text when it did not parse. */
	body: unknown;
	model: string | undefined;
	messages: RecordedMessage[];
	/** Every decoded image of the request, with the index of its message. */
	images: (RecordedImage & { messageIndex: number })[];
	/** Image parts given as http(s) URLs, which the fake does not fetch. */
	imageUrls: string[];
	stream: boolean;
	/** `stream_options.include_usage`. */
	includeUsage: boolean;
	maxTokens: number | undefined;
	maxCompletionTokens: number | undefined;
	temperature: number | undefined;
	/** Top-level keys OpenAI does not define (e.g. OpenRouter's `provider`, Ollama's `options`), accepted as is. */
	unknownFields: string[];
	receivedAt: number;
};

export type RecordedModelsRequest = {
	method: string;
	path: string;
	/** The id asked for on `GET /models/{id}`; undefined for the list. */
	model: string | undefined;
	headers: Record<string, string>;
	receivedAt: number;
};

export type OpenAiResponder = (request: RecordedChatRequest) => OpenAiScenario | undefined;

export type FakeOpenAiStats = {
	openStreams: number;
	maxConcurrentStreams: number;
	/** Responses the client closed before their end. */
	clientAborts: number;
	served429: number;
};

export type FakeOpenAi = {
	/** 'http://127.0.0.1:PORT'. Any path prefix works, so `${url}/api/v1` stands in for OpenRouter. */
	readonly url: string;
	/** 'http://127.0.0.1:PORT/v1': pass as the client's `baseURL`. */
	readonly baseURL: string;
	readonly apiKey: string | undefined;
	/** FIFO of scripted outcomes; each chat-completion request that passes validation consumes one. */
	enqueue(...scenarios: OpenAiScenario[]): void;
	/** Used when the FIFO is empty (default: echo reply). Return undefined for the default. */
	respondWith(responder: OpenAiResponder | undefined): void;
	/** Token-bucket RPM limit per model answering 429s with retry-after headers; `undefined` disables it. */
	setRequestsPerMinute(limit: number | undefined): void;
	/** Every chat-completion request in arrival order, including rejected ones (snapshot). */
	readonly requests: readonly RecordedChatRequest[];
	waitForRequests(count: number, timeoutMs?: number): Promise<readonly RecordedChatRequest[]>;
	/** What `GET /models` lists (a string is `{ id }`). Chat still answers any model. @default DEFAULT_FAKE_OPENAI_MODELS */
	setModels(models: readonly (string | FakeOpenAiModel)[]): void;
	/** Makes `GET /models` fail like an outage (`true` = 'unavailable'); `false` ends it. */
	setModelsUnavailable(outage: boolean | ModelsOutage): void;
	/** Every `GET /models` and `GET /models/{id}` (snapshot). */
	readonly modelsRequests: readonly RecordedModelsRequest[];
	/** Snapshot of the connection counters. */
	readonly stats: FakeOpenAiStats;
	/** Clears the FIFO, responder, requests, counters and rate limit; restores the default models, ends an outage. */
	reset(): void;
	/** Ends open streams, destroys sockets and stops listening. */
	close(): Promise<void>;
};
