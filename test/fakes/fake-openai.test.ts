import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI, {
	APIConnectionError,
	APIConnectionTimeoutError,
	APIError,
	APIUserAbortError,
	AuthenticationError,
	BadRequestError,
	InternalServerError,
	NotFoundError,
	PermissionDeniedError,
	RateLimitError,
} from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeOpenAi } from './fake-openai/index.js';
import type { FakeOpenAi, OpenAiErrorPreset } from './fake-openai/index.js';

const MODEL = 'gpt-4o-mini';
/** A PNG signature plus bytes whose base64 uses '+' and '/', so that any alphabet mix-up shows. */
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from([0, 255, 251, 239, 190, 62, 63])]);
const JPEG = Buffer.from('ffd8ffe000104a464946', 'hex');

type ErrorEnvelope = { error: { message: string; type: string; param: string | null; code: string | null } };

let fake: FakeOpenAi;

beforeAll(async () => {
	fake = await startFakeOpenAi({ defaultChunkDelayMs: 1 });
});

afterEach(() => {
	fake.reset();
});

afterAll(async () => {
	await fake.close();
});

function client(options: { apiKey?: string; baseURL?: string; maxRetries?: number; timeout?: number } = {}): OpenAI {
	return new OpenAI({ apiKey: 'any-key', baseURL: fake.baseURL, maxRetries: 0, ...options });
}

function streamParams(content = 'Hi', includeUsage = true): ChatCompletionCreateParamsStreaming {
	return {
		model: MODEL,
		messages: [{ role: 'user', content }],
		stream: true,
		...(includeUsage ? { stream_options: { include_usage: true } } : {}),
	};
}

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
	const chunks: ChatCompletionChunk[] = [];
	for await (const chunk of stream) chunks.push(chunk);
	return chunks;
}

async function streamChunks(
	params: ChatCompletionCreateParamsStreaming = streamParams(),
	openai = client(),
): Promise<ChatCompletionChunk[]> {
	return collect(await openai.chat.completions.create(params));
}

/** The text deltas of the choice chunks, in order (the usage chunk has no choice). */
function contentsOf(chunks: readonly ChatCompletionChunk[]): (string | null | undefined)[] {
	return chunks.filter((chunk) => chunk.choices.length > 0).map((chunk) => chunk.choices[0]?.delta.content);
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
	try {
		await promise;
	} catch (error) {
		return error;
	}
	throw new Error('expected a rejection');
}

/** Consumes the stream, keeping the deltas received before it failed. */
async function consumeUntilError(
	stream: AsyncIterable<ChatCompletionChunk>,
): Promise<{ contents: (string | null | undefined)[]; error: unknown }> {
	const contents: (string | null | undefined)[] = [];
	const error = await errorOf(
		(async () => {
			for await (const chunk of stream) contents.push(chunk.choices[0]?.delta.content);
		})(),
	);
	return { contents, error };
}

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
	return fetch(`${fake.url}${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
}

function dataUrl(mimeType: string, bytes: Buffer): string {
	return `data:${mimeType};base64,${bytes.toString('base64')}`;
}

describe('streaming replies', () => {
	it('streams a role chunk, the scripted deltas, a finish chunk and [DONE], all under one id', async () => {
		fake.enqueue({ kind: 'reply', chunks: ['Hel', 'lo, ', 'world!'] });
		const chunks = await streamChunks(streamParams('Hi', false));

		expect(contentsOf(chunks)).toEqual(['', 'Hel', 'lo, ', 'world!', undefined]);
		expect(contentsOf(chunks).join('')).toBe('Hello, world!');
		expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '', refusal: null });
		expect(chunks.map((chunk) => chunk.choices[0]?.finish_reason)).toEqual([null, null, null, null, 'stop']);
		expect(chunks.at(-1)?.choices[0]?.delta).toEqual({});
		expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
		expect(chunks[0]?.id).toMatch(/^chatcmpl-/);
		expect(new Set(chunks.map((chunk) => `${chunk.object} ${chunk.model}`))).toEqual(
			new Set([`chat.completion.chunk ${MODEL}`]),
		);
		// Without include_usage there is no usage chunk and no usage key at all.
		expect(chunks.every((chunk) => !('usage' in chunk))).toBe(true);
	});

	it('frames the wire as OpenAI does: text/event-stream, data: {json} blank-line events, data: [DONE] last', async () => {
		fake.enqueue({ kind: 'reply', chunks: ['a', 'b'] });
		const response = await post('/v1/chat/completions', streamParams());
		const body = await response.text();

		expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
		expect(response.headers.get('x-request-id')).toMatch(/^req_/);
		const events = body.split('\n\n');
		expect(events.at(-1)).toBe('');
		expect(events.at(-2)).toBe('data: [DONE]');
		expect(events.slice(0, -2).every((event) => event.startsWith('data: {') && !event.includes('\n'))).toBe(true);
		// Role chunk, two deltas, finish chunk, usage chunk, [DONE], and the empty tail.
		expect(events).toHaveLength(7);
	});

	it('adds a usage chunk with choices [] after the finish chunk, with scripted cached and reasoning tokens', async () => {
		fake.enqueue({
			kind: 'reply',
			chunks: ['Answer'],
			usage: { prompt_tokens: 1_200, cached_tokens: 1_024, reasoning_tokens: 30 },
		});
		const chunks = await streamChunks();

		const usageChunk = chunks.at(-1);
		expect(usageChunk?.choices).toEqual([]);
		expect(usageChunk?.usage).toEqual({
			prompt_tokens: 1_200,
			completion_tokens: 32,
			total_tokens: 1_232,
			prompt_tokens_details: { cached_tokens: 1_024, audio_tokens: 0 },
			completion_tokens_details: {
				reasoning_tokens: 30,
				audio_tokens: 0,
				accepted_prediction_tokens: 0,
				rejected_prediction_tokens: 0,
			},
		});
		expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
		expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
	});

	it('echoes the last user message in three chunks by default, with ceil(characters / 4) usage', async () => {
		const chunks = await streamChunks({
			model: MODEL,
			messages: [
				{ role: 'system', content: 'Be brief.' },
				{ role: 'user', content: 'first' },
				{ role: 'assistant', content: 'ok' },
				{ role: 'user', content: [{ type: 'text', text: 'ping pong' }] },
			],
			stream: true,
			stream_options: { include_usage: true },
		});

		expect(contentsOf(chunks).filter((content) => content !== '' && content !== undefined)).toHaveLength(3);
		expect(contentsOf(chunks).join('')).toBe('Echo: ping pong');
		const characters = 'Be brief.firstokping pong'.length;
		expect(chunks.at(-1)?.usage).toMatchObject({
			prompt_tokens: Math.ceil(characters / 4),
			completion_tokens: Math.ceil('Echo: ping pong'.length / 4),
			prompt_tokens_details: { cached_tokens: 0 },
			completion_tokens_details: { reasoning_tokens: 0 },
		});
	});

	it('consults the responder when the FIFO is empty, and falls back to the echo when it returns undefined', async () => {
		fake.respondWith((request) =>
			request.messages.at(-1)?.text === 'scripted' ? { kind: 'reply', chunks: ['ok'] } : undefined,
		);
		expect(contentsOf(await streamChunks(streamParams('scripted'))).join('')).toBe('ok');
		expect(contentsOf(await streamChunks(streamParams('other'))).join('')).toBe('Echo: other');
		fake.enqueue({ kind: 'reply', chunks: ['queued'] });
		expect(contentsOf(await streamChunks(streamParams('scripted'))).join('')).toBe('queued');
	});

	it('streams reasoning_content before the answer, with content null, and counts it as reasoning tokens', async () => {
		fake.enqueue({ kind: 'reply', reasoning: ['Let me ', 'think.'], chunks: ['42'] });
		const chunks = await streamChunks();

		const deltas = chunks.filter((chunk) => chunk.choices.length > 0).map((chunk) => chunk.choices[0]?.delta);
		const reasoning = deltas.map((delta) => (delta as Record<string, unknown> | undefined)?.reasoning_content);
		expect(reasoning).toEqual([undefined, 'Let me ', 'think.', undefined, undefined]);
		expect(deltas.slice(1, 3).every((delta) => delta?.content === null)).toBe(true);
		expect(contentsOf(chunks).join('')).toBe('42');
		expect(chunks.at(-1)?.usage?.completion_tokens_details?.reasoning_tokens).toBe(
			Math.ceil('Let me think.'.length / 4),
		);
		expect(chunks.at(-1)?.usage?.completion_tokens).toBe(1 + Math.ceil('Let me think.'.length / 4));
	});

	it("sends Ollama's variant: `reasoning` beside an empty content", async () => {
		fake.enqueue({ kind: 'reply', reasoning: 'Hmm.', reasoningField: 'reasoning', chunks: ['Yes'] });
		const chunks = await streamChunks();

		expect(chunks[1]?.choices[0]?.delta).toEqual({ content: '', reasoning: 'Hmm.' });
		expect(contentsOf(chunks).join('')).toBe('Yes');
		expect(chunks.some((chunk) => 'reasoning_content' in (chunk.choices[0]?.delta ?? {}))).toBe(false);
	});

	it.each(['length', 'content_filter'])('ends with finish_reason %s when scripted', async (finishReason) => {
		fake.enqueue({ kind: 'reply', chunks: ['cut'], finishReason });
		const chunks = await streamChunks();

		expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe(finishReason);
		expect(chunks.at(-1)?.usage?.completion_tokens).toBe(1);
	});

	it('opens the stream at once and holds the first chunk for firstChunkDelayMs', async () => {
		fake.enqueue({ kind: 'reply', chunks: ['late', ' start'], firstChunkDelayMs: 300 });
		const startedAt = Date.now();
		const stream = await client().chat.completions.create(streamParams());
		const openedAt = Date.now();
		const chunks = await collect(stream);

		expect(openedAt - startedAt).toBeLessThan(250);
		expect(Date.now() - startedAt).toBeGreaterThanOrEqual(300);
		expect(contentsOf(chunks).join('')).toBe('late start');
	});
});

describe('request recording', () => {
	it('records path, key, model, messages with names, stream flags, max tokens, temperature and unknown fields', async () => {
		const params = {
			model: MODEL,
			messages: [
				{ role: 'developer' as const, content: 'You are a Discord bot.' },
				{ role: 'user' as const, content: 'Hi', name: 'alice_01' },
				{ role: 'assistant' as const, content: [{ type: 'text' as const, text: 'Hello!' }] },
				{ role: 'user' as const, content: 'Say hello world', name: 'bob' },
			],
			stream: true as const,
			stream_options: { include_usage: true },
			max_completion_tokens: 256,
			temperature: 0.7,
			// OpenRouter's routing preference: not an OpenAI parameter, so recorded rather than refused.
			provider: { sort: 'price' },
		};
		await streamChunks(params, client({ apiKey: 'sk-local' }));

		const [request] = await fake.waitForRequests(1);
		expect(request).toMatchObject({
			method: 'POST',
			path: '/v1/chat/completions',
			model: MODEL,
			messages: [
				{ role: 'developer', text: 'You are a Discord bot.' },
				{ role: 'user', text: 'Hi', name: 'alice_01' },
				{ role: 'assistant', text: 'Hello!' },
				{ role: 'user', text: 'Say hello world', name: 'bob' },
			],
			stream: true,
			includeUsage: true,
			maxTokens: undefined,
			maxCompletionTokens: 256,
			temperature: 0.7,
			unknownFields: ['provider'],
		});
		expect(request?.headers.authorization).toBe('Bearer sk-local');
		expect(request?.body).toMatchObject({ provider: { sort: 'price' } });
	});

	it('decodes data-URL images per message, keeps remote URLs apart, and leaves images out of toEqual', async () => {
		await streamChunks({
			model: MODEL,
			messages: [
				{
					role: 'user',
					content: [
						{ type: 'text', text: 'What is ' },
						{ type: 'image_url', image_url: { url: dataUrl('image/png', PNG) } },
						{ type: 'text', text: 'this?' },
					],
				},
				{ role: 'assistant', content: 'A PNG.' },
				{
					role: 'user',
					content: [
						{ type: 'image_url', image_url: { url: dataUrl('image/jpeg', JPEG), detail: 'low' } },
						{ type: 'image_url', image_url: { url: 'https://cdn.example.com/cat.webp' } },
						{ type: 'text', text: 'And these?' },
					],
				},
			],
			stream: true,
		});

		const [request] = await fake.waitForRequests(1);
		expect(request?.messages).toEqual([
			{ role: 'user', text: 'What is this?' },
			{ role: 'assistant', text: 'A PNG.' },
			{ role: 'user', text: 'And these?' },
		]);
		expect(request?.messages[0]?.images).toEqual([{ mimeType: 'image/png', bytes: PNG }]);
		expect(request?.messages[0]?.images[0]?.bytes.equals(PNG)).toBe(true);
		expect(request?.messages[2]?.images).toEqual([{ mimeType: 'image/jpeg', bytes: JPEG }]);
		expect(request?.images.map(({ messageIndex, mimeType }) => ({ messageIndex, mimeType }))).toEqual([
			{ messageIndex: 0, mimeType: 'image/png' },
			{ messageIndex: 2, mimeType: 'image/jpeg' },
		]);
		expect(request?.imageUrls).toEqual(['https://cdn.example.com/cat.webp']);
	});

	it('waitForRequests rejects after its timeout and reset() clears the log', async () => {
		await streamChunks();
		expect(fake.requests).toHaveLength(1);
		await expect(fake.waitForRequests(2, 20)).rejects.toThrow(/expected 2 request/);
		fake.reset();
		expect(fake.requests).toHaveLength(0);
	});
});

describe('HTTP errors', () => {
	it('surfaces a 429 as RateLimitError with code, type and readable retry headers, without retrying', async () => {
		fake.enqueue({ kind: 'http-error', preset: 'rate-limit', retryAfterMs: 1_500 });
		const error = await errorOf(streamChunks());

		expect(error).toBeInstanceOf(RateLimitError);
		const rateLimit = error as RateLimitError;
		expect(rateLimit.status).toBe(429);
		expect(rateLimit.code).toBe('rate_limit_exceeded');
		expect(rateLimit.type).toBe('requests');
		expect(rateLimit.headers.get('retry-after-ms')).toBe('1500');
		expect(rateLimit.headers.get('retry-after')).toBe('2');
		expect(rateLimit.headers.get('x-ratelimit-remaining-requests')).toBe('0');
		expect(rateLimit.headers.get('x-ratelimit-reset-requests')).toBe('1.5s');
		expect(rateLimit.requestID).toMatch(/^req_/);
		expect(rateLimit.message).toMatch(/^429 Rate limit reached for gpt-4o-mini .* Please try again in 1\.5s\./);
		expect(fake.requests).toHaveLength(1);
		expect(fake.stats.served429).toBe(1);
	});

	it('is retried by a client left at its default maxRetries, after retry-after-ms, and the retry succeeds', async () => {
		fake.enqueue({ kind: 'http-error', preset: 'rate-limit', retryAfterMs: 60 }, { kind: 'reply', chunks: ['ok'] });
		const chunks = await streamChunks(streamParams(), new OpenAI({ apiKey: 'any-key', baseURL: fake.baseURL }));

		expect(contentsOf(chunks).join('')).toBe('ok');
		const [first, retry] = fake.requests;
		expect(fake.requests).toHaveLength(2);
		expect(retry!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(55);
		expect([first?.headers['x-stainless-retry-count'], retry?.headers['x-stainless-retry-count']]).toEqual(['0', '1']);
	});

	it('marks insufficient_quota apart from pacing: same class, another code, no retry-after', async () => {
		fake.enqueue({ kind: 'http-error', preset: 'insufficient-quota' });
		const error = (await errorOf(streamChunks())) as RateLimitError;

		expect(error).toBeInstanceOf(RateLimitError);
		expect(error.code).toBe('insufficient_quota');
		expect(error.type).toBe('insufficient_quota');
		expect(error.headers.get('retry-after')).toBeNull();
		expect(error.headers.get('retry-after-ms')).toBeNull();
	});

	it.each([
		['context-length', BadRequestError, 400, 'context_length_exceeded'],
		['invalid-api-key', AuthenticationError, 401, 'invalid_api_key'],
		['forbidden', PermissionDeniedError, 403, 'unsupported_country_region_territory'],
		['model-not-found', NotFoundError, 404, 'model_not_found'],
		['server-error', InternalServerError, 500, null],
		['overloaded', InternalServerError, 503, null],
	] as const)('surfaces the %s preset as %o with status %i and code %s', async (preset, ErrorClass, status, code) => {
		fake.enqueue({ kind: 'http-error', preset: preset satisfies OpenAiErrorPreset });
		const error = (await errorOf(streamChunks())) as APIError;

		expect(error).toBeInstanceOf(ErrorClass);
		expect(error.status).toBe(status);
		expect(error.code).toBe(code);
		expect(error.error).toHaveProperty('param');
		expect(error.error).toHaveProperty('type');
	});

	it('names the requested model in model_not_found, as for a model name starting with nonexistent', async () => {
		fake.enqueue({ kind: 'http-error', preset: 'model-not-found' });
		const scripted = (await errorOf(streamChunks())) as NotFoundError;
		const automatic = (await errorOf(streamChunks({ ...streamParams(), model: 'nonexistent-model' }))) as NotFoundError;

		expect(scripted.message).toBe(`404 The model \`${MODEL}\` does not exist or you do not have access to it.`);
		expect(automatic).toBeInstanceOf(NotFoundError);
		expect(automatic.message).toContain('The model `nonexistent-model` does not exist');
	});

	it('takes a custom status, body fields and headers; x-should-retry: false stops the default retries', async () => {
		fake.enqueue({
			kind: 'http-error',
			status: 502,
			error: { message: 'Upstream provider failed', code: 'upstream_error' },
			headers: { 'x-should-retry': 'false' },
		});
		const error = (await errorOf(
			streamChunks(streamParams(), new OpenAI({ apiKey: 'any-key', baseURL: fake.baseURL })),
		)) as InternalServerError;

		expect(error).toBeInstanceOf(InternalServerError);
		expect(error.status).toBe(502);
		expect(error.error).toEqual({
			message: 'Upstream provider failed',
			type: 'server_error',
			param: null,
			code: 'upstream_error',
		});
		expect(fake.requests).toHaveLength(1);
	});

	it('checks the Bearer key when started with one: a wrong or missing key is 401 invalid_api_key', async () => {
		const own = await startFakeOpenAi({ apiKey: 'sk-right', defaultChunkDelayMs: 1 });
		try {
			const wrong = await errorOf(streamChunks(streamParams(), client({ apiKey: 'sk-wrong', baseURL: own.baseURL })));
			expect(wrong).toBeInstanceOf(AuthenticationError);
			expect((wrong as AuthenticationError).error).toEqual({
				message: 'Incorrect API key provided',
				type: 'invalid_request_error',
				code: 'invalid_api_key',
				param: null,
			});
			const missing = await fetch(`${own.baseURL}/chat/completions`, { method: 'POST', body: '{}' });
			expect(missing.status).toBe(401);
			expect(((await missing.json()) as ErrorEnvelope).error.code).toBe('invalid_api_key');
			const models = await errorOf(client({ apiKey: 'sk-wrong', baseURL: own.baseURL }).models.list());
			expect(models).toBeInstanceOf(AuthenticationError);
			const right = await streamChunks(streamParams('Hi'), client({ apiKey: 'sk-right', baseURL: own.baseURL }));
			expect(contentsOf(right).join('')).toBe('Echo: Hi');
			expect(own.requests).toHaveLength(3);
		} finally {
			await own.close();
		}
	});

	it('accepts any key or none when started without one, as local servers do', async () => {
		// Compatible servers often know only max_tokens, which the SDK marks deprecated; sent raw here.
		const body = { model: MODEL, messages: [{ role: 'user', content: 'x' }], max_tokens: 32 };
		const response = await post('/v1/chat/completions', body, { authorization: 'Bearer whatever' });
		const bare = await post('/v1/chat/completions', body);
		expect([response.status, bare.status]).toEqual([200, 200]);
		expect(((await response.json()) as { object: string }).object).toBe('chat.completion');
		expect(fake.requests.map((request) => request.maxTokens)).toEqual([32, 32]);
		expect(fake.apiKey).toBeUndefined();
	});

	it('answers an unknown request shape with a 400 the client surfaces as BadRequestError', async () => {
		const params = { ...streamParams(), messages: [{ role: 'robot', content: 'beep' }] };
		const error = await errorOf(
			client().chat.completions.create(params as unknown as ChatCompletionCreateParamsStreaming),
		);

		expect(error).toBeInstanceOf(BadRequestError);
		expect(error).toMatchObject({ status: 400, code: 'invalid_value', param: 'messages[0].role' });
		expect((error as BadRequestError).message).toBe(
			"400 Invalid value: 'robot'. Supported values are: 'system', 'developer', 'user', and 'assistant'.",
		);
		expect(fake.requests).toHaveLength(1);
	});

	it('validates requests with OpenAI-style 400 bodies, and takes a null for an optional parameter', async () => {
		const errorFor = async (body: unknown) => {
			const response = await post('/v1/chat/completions', body);
			expect(response.status).toBe(400);
			return ((await response.json()) as ErrorEnvelope).error;
		};
		const user = (content: unknown) => ({ model: MODEL, messages: [{ role: 'user', content }] });

		expect(await errorFor({ messages: [{ role: 'user', content: 'x' }] })).toEqual({
			message: 'you must provide a model parameter',
			type: 'invalid_request_error',
			param: null,
			code: null,
		});
		expect(await errorFor({ model: MODEL })).toMatchObject({ code: 'missing_required_parameter', param: 'messages' });
		expect(await errorFor({ model: MODEL, messages: [] })).toMatchObject({ code: 'empty_array' });
		expect(await errorFor({ ...user('x'), messages: [{ role: 'user', content: 'x', name: 'two words' }] })).toEqual({
			message:
				"Invalid 'messages[0].name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]{1,64}$'.",
			type: 'invalid_request_error',
			param: 'messages[0].name',
			code: 'invalid_value',
		});
		expect(await errorFor({ ...user('x'), temperature: 2.5 })).toMatchObject({
			message: "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 2.5 instead.",
			code: 'decimal_above_max_value',
		});
		expect(await errorFor({ ...user('x'), max_tokens: 0 })).toMatchObject({ code: 'integer_below_min_value' });
		expect(await errorFor({ ...user('x'), max_completion_tokens: 1.5 })).toMatchObject({
			message: "Invalid type for 'max_completion_tokens': expected an integer, but got a decimal instead.",
		});
		expect(await errorFor(user({ text: 'x' }))).toMatchObject({ code: 'invalid_type', param: 'messages[0].content' });
		expect(await errorFor(user([{ type: 'image_url', image_url: { url: dataUrl('image/bmp', PNG) } }]))).toMatchObject({
			param: 'messages[0].content[0].image_url.url',
			message: expect.stringContaining("'image/bmp'") as string,
		});
		expect(
			await errorFor(user([{ type: 'image_url', image_url: { url: 'data:image/png;base64,%%%' } }])),
		).toMatchObject({
			message: expect.stringContaining('invalid base64') as string,
		});
		const systemImage = {
			model: MODEL,
			messages: [{ role: 'system', content: [{ type: 'image_url', image_url: { url: dataUrl('image/png', PNG) } }] }],
		};
		expect(await errorFor(systemImage)).toMatchObject({ param: 'messages[0].content[0].type', code: 'invalid_value' });
		expect(await errorFor({ ...user('x'), stream_options: { include_usage: true } })).toMatchObject({
			param: 'stream_options',
		});
		expect((await errorFor('{not json')).message).toContain('could not parse the JSON body');

		const lenient = await post('/v1/chat/completions', { ...user('x'), temperature: null, max_tokens: null });
		expect(lenient.status).toBe(200);
		expect(fake.requests).toHaveLength(14);
	});

	it("answers unknown paths with OpenAI's Invalid URL 404", async () => {
		const response = await post('/v1/completions', {});
		expect(response.status).toBe(404);
		expect(((await response.json()) as ErrorEnvelope).error.message).toBe('Invalid URL (POST /v1/completions)');
		expect(fake.requests).toEqual([]);
	});
});

describe('mid-stream failures', () => {
	it('throws a plain TypeError (not an APIError) from the iterator when the socket drops mid-stream', async () => {
		fake.enqueue({ kind: 'drop-after', chunks: ['one', 'two'], chunkDelayMs: 5 });
		const { contents, error } = await consumeUntilError(await client().chat.completions.create(streamParams()));

		expect(contents).toEqual(['', 'one', 'two']);
		expect(error).toBeInstanceOf(TypeError);
		expect(error).not.toBeInstanceOf(APIError);
		expect((error as TypeError).message).toBe('terminated');
		await vi.waitFor(() => {
			expect(fake.stats.openStreams).toBe(0);
		});
		expect(fake.stats.clientAborts).toBe(0);
	});

	it('throws a status-less APIError from the iterator for a data: {"error"} event', async () => {
		fake.enqueue({
			kind: 'error-after',
			chunks: ['par', 'tial'],
			error: { message: 'Provider returned error', code: 'provider_error' },
		});
		const { contents, error } = await consumeUntilError(await client().chat.completions.create(streamParams()));

		expect(contents).toEqual(['', 'par', 'tial']);
		expect(error).toBeInstanceOf(APIError);
		expect(error).not.toBeInstanceOf(InternalServerError);
		expect(error).toMatchObject({ status: undefined, code: 'provider_error', type: 'server_error' });
		expect((error as APIError).message).toBe('Provider returned error');
	});

	it('ends the iteration without an error when the client aborts, and counts the abort', async () => {
		fake.enqueue({ kind: 'hang-after', chunks: ['waiting'] });
		const controller = new AbortController();
		const stream = await client().chat.completions.create(streamParams(), { signal: controller.signal });
		const contents: (string | null | undefined)[] = [];
		for await (const chunk of stream) {
			contents.push(chunk.choices[0]?.delta.content);
			if (contents.length === 2) controller.abort();
		}

		// The SDK swallows the AbortError: only the signal tells this apart from a finished stream.
		expect(contents).toEqual(['', 'waiting']);
		expect(controller.signal.aborted).toBe(true);
		await vi.waitFor(() => {
			expect(fake.stats).toMatchObject({ clientAborts: 1, openStreams: 0 });
		});
	});

	it('rejects with APIUserAbortError when the abort comes before the response headers', async () => {
		fake.enqueue({ kind: 'hang-after', chunks: [] });
		const pending = errorOf(
			client().chat.completions.create(
				{ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] },
				{ signal: AbortSignal.timeout(50) },
			),
		);

		expect(await pending).toBeInstanceOf(APIUserAbortError);
		await vi.waitFor(() => {
			expect(fake.stats.clientAborts).toBe(1);
		});
	});

	it("leaves a stalled stream to the caller: the client's timeout stops at the response headers", async () => {
		fake.enqueue({ kind: 'hang-after', chunks: ['stalled'] });
		const stream = await client({ timeout: 100 }).chat.completions.create(streamParams());
		const iterator = stream[Symbol.asyncIterator]();
		expect((await iterator.next()).value).toMatchObject({ choices: [{ delta: { role: 'assistant' } }] });
		expect((await iterator.next()).value).toMatchObject({ choices: [{ delta: { content: 'stalled' } }] });

		const next = iterator.next();
		const outcome = await Promise.race([next.then(() => 'settled'), sleep(400).then(() => 'still waiting')]);
		expect(outcome).toBe('still waiting');
		stream.controller.abort();
		expect(await next).toEqual({ done: true, value: undefined });
	});

	it('keeps openStreams accurate across reset() and does not count older aborts', async () => {
		fake.enqueue({ kind: 'hang-after', chunks: [] });
		const controller = new AbortController();
		const pending = collect(await client().chat.completions.create(streamParams(), { signal: controller.signal }));
		expect(fake.stats.openStreams).toBe(1);
		fake.reset();
		expect(fake.stats).toEqual({ openStreams: 1, maxConcurrentStreams: 1, clientAborts: 0, served429: 0 });
		controller.abort();
		await pending;
		await vi.waitFor(() => {
			expect(fake.stats.openStreams).toBe(0);
		});
		expect(fake.stats.clientAborts).toBe(0);
	});
});

describe('limits and concurrency', () => {
	it('answers 429 with retry-after headers once over the per-model RPM limit, and reports the budget before', async () => {
		fake.setRequestsPerMinute(2);
		const { data, response } = await client().chat.completions.create(streamParams()).withResponse();
		await collect(data);
		expect(response.headers.get('x-ratelimit-limit-requests')).toBe('2');
		expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('1');
		await streamChunks();
		const error = (await errorOf(streamChunks())) as RateLimitError;

		expect(error).toBeInstanceOf(RateLimitError);
		expect(error.code).toBe('rate_limit_exceeded');
		const retryAfterMs = Number(error.headers.get('retry-after-ms'));
		expect(retryAfterMs).toBeGreaterThan(29_000);
		expect(retryAfterMs).toBeLessThanOrEqual(30_000);
		expect(error.headers.get('retry-after')).toBe('30');
		expect(error.message).toContain('Limit 2, Used 2, Requested 1.');
		expect(fake.stats.served429).toBe(1);
		expect(contentsOf(await streamChunks({ ...streamParams(), model: 'gpt-4o' })).join('')).toBe('Echo: Hi');

		fake.setRequestsPerMinute(undefined);
		expect(contentsOf(await streamChunks()).join('')).toBe('Echo: Hi');
		expect(fake.requests).toHaveLength(5);
	});

	it('counts streams open at the same time', async () => {
		const slow = { kind: 'reply', chunks: ['a', 'b', 'c'], chunkDelayMs: 30 } as const;
		fake.enqueue(slow, slow, slow);
		await Promise.all([streamChunks(), streamChunks(), streamChunks()]);

		await vi.waitFor(() => {
			expect(fake.stats.openStreams).toBe(0);
		});
		expect(fake.stats.maxConcurrentStreams).toBe(3);
	});
});

describe('non-streaming requests', () => {
	it('answers one chat.completion with the joined text, the finish reason, reasoning and usage', async () => {
		fake.enqueue({ kind: 'reply', chunks: ['Short', ' answer'], finishReason: 'length', reasoning: 'Quick.' });
		const completion = await client().chat.completions.create({
			model: MODEL,
			messages: [{ role: 'user', content: 'Summarize' }],
			max_completion_tokens: 16,
		});

		expect(completion).toMatchObject({ object: 'chat.completion', model: MODEL });
		expect(completion.choices[0]?.message).toMatchObject({
			role: 'assistant',
			content: 'Short answer',
			reasoning_content: 'Quick.',
		});
		expect(completion.choices[0]?.finish_reason).toBe('length');
		expect(completion.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 });
		expect(fake.requests[0]).toMatchObject({ stream: false, includeUsage: false, maxCompletionTokens: 16 });
		expect(fake.stats.maxConcurrentStreams).toBe(0);
	});

	it('sends errors as JSON and breaks off a dropped body with a plain TypeError', async () => {
		fake.enqueue({ kind: 'http-error', preset: 'overloaded' }, { kind: 'drop-after', chunks: ['lost'] });
		const unary = { model: MODEL, messages: [{ role: 'user' as const, content: 'Hi' }] };
		expect(await errorOf(client().chat.completions.create(unary))).toBeInstanceOf(InternalServerError);

		const dropped = await errorOf(client().chat.completions.create(unary));
		expect(dropped).toBeInstanceOf(TypeError);
		expect((dropped as TypeError).message).toBe('terminated');
	});
});

describe('models', () => {
	it('lists the default models, then exactly those setModels names, with architecture where declared', async () => {
		const defaults = await client().models.list();
		expect(defaults.data.map((model) => model.id)).toEqual(['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini', 'o4-mini']);
		expect(defaults.data[0]).toEqual({
			id: 'gpt-4o-mini',
			object: 'model',
			created: 1_715_367_049,
			owned_by: 'system',
		});

		fake.setModels([
			'llama3.2',
			{ id: 'openai/gpt-4o', ownedBy: 'openai', inputModalities: ['text', 'image'] },
			{ id: 'deepseek/deepseek-r1', ownedBy: 'deepseek', inputModalities: ['text'] },
		]);
		const page = await client().models.list();
		expect(page.data.map((model) => model.id)).toEqual(['llama3.2', 'openai/gpt-4o', 'deepseek/deepseek-r1']);
		expect(page.data[0]).not.toHaveProperty('architecture');
		expect(page.data[2]).toMatchObject({
			owned_by: 'deepseek',
			architecture: { input_modalities: ['text'], output_modalities: ['text'] },
		});
		expect((await client().models.retrieve('openai/gpt-4o')).owned_by).toBe('openai');
		expect(await errorOf(client().models.retrieve('gpt-4o-mini'))).toBeInstanceOf(NotFoundError);
		expect(fake.modelsRequests.map(({ method, path, model }) => ({ method, path, model }))).toEqual([
			{ method: 'GET', path: '/v1/models', model: undefined },
			{ method: 'GET', path: '/v1/models', model: undefined },
			{ method: 'GET', path: '/v1/models/openai%2Fgpt-4o', model: 'openai/gpt-4o' },
			{ method: 'GET', path: '/v1/models/gpt-4o-mini', model: 'gpt-4o-mini' },
		]);
		expect(fake.requests).toEqual([]);
	});

	it("refuses images for a model declared text-only with OpenRouter's 404, and serves any path prefix", async () => {
		fake.setModels([{ id: 'deepseek/deepseek-r1', inputModalities: ['text'] }]);
		const openRouter = client({ baseURL: `${fake.url}/api/v1` });
		const params = {
			model: 'deepseek/deepseek-r1',
			messages: [
				{
					role: 'user' as const,
					content: [{ type: 'image_url' as const, image_url: { url: dataUrl('image/png', PNG) } }],
				},
			],
			stream: true as const,
		};
		const error = (await errorOf(openRouter.chat.completions.create(params))) as NotFoundError;

		expect(error).toBeInstanceOf(NotFoundError);
		expect(error.message).toBe('404 No endpoints found that support image input');
		const text = await streamChunks({ ...params, messages: [{ role: 'user', content: 'Hi' }] }, openRouter);
		expect(contentsOf(text).join('')).toBe('Echo: Hi');
		expect(fake.requests.map((request) => request.path)).toEqual([
			'/api/v1/chat/completions',
			'/api/v1/chat/completions',
		]);
	});

	it('fails like an endpoint that is down: 503, a dropped connection, or no answer until the timeout', async () => {
		fake.setModelsUnavailable(true);
		const unavailable = await errorOf(client().models.list());
		expect(unavailable).toBeInstanceOf(InternalServerError);
		expect((unavailable as InternalServerError).status).toBe(503);

		fake.setModelsUnavailable('drop');
		const dropped = await errorOf(client().models.list());
		expect(dropped).toBeInstanceOf(APIConnectionError);
		expect((dropped as APIConnectionError).cause).toBeInstanceOf(TypeError);

		fake.setModelsUnavailable('hang');
		const startedAt = Date.now();
		expect(await errorOf(client({ timeout: 100 }).models.list())).toBeInstanceOf(APIConnectionTimeoutError);
		expect(Date.now() - startedAt).toBeLessThan(1_000);

		fake.setModelsUnavailable(false);
		expect((await client().models.list()).data).toHaveLength(4);
		expect(fake.modelsRequests).toHaveLength(4);
	});
});

describe('close()', () => {
	it('resolves promptly while a stream hangs, and the consumer sees the connection end', async () => {
		const own = await startFakeOpenAi({ defaultChunkDelayMs: 1 });
		own.enqueue({ kind: 'hang-after', chunks: ['stuck'] });
		const stream = await client({ baseURL: own.baseURL }).chat.completions.create(streamParams());
		const contents: (string | null | undefined)[] = [];
		const consumed = errorOf(
			(async () => {
				for await (const chunk of stream) contents.push(chunk.choices[0]?.delta.content);
			})(),
		);
		await vi.waitFor(() => {
			expect(contents).toEqual(['', 'stuck']);
		});
		expect(own.stats.openStreams).toBe(1);

		const startedAt = Date.now();
		await own.close();
		expect(Date.now() - startedAt).toBeLessThan(1_000);
		expect(await consumed).toBeInstanceOf(TypeError);
		expect(own.stats.clientAborts).toBe(0);
	});
});
