import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError, GoogleGenAI } from '@google/genai';
import type { GenerateContentParameters, GenerateContentResponse } from '@google/genai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startFakeGemini } from './fake-gemini/index.js';
import type { FakeGemini } from './fake-gemini/index.js';
import { startFakeMetadata } from './fake-metadata/index.js';
import type { FakeMetadata } from './fake-metadata/index.js';

const MODEL = 'gemini-2.5-flash';
const IMAGE_MODEL = 'gemini-2.5-flash-image';
/** A PNG signature plus bytes whose base64 uses '+' and '/', so that any alphabet mix-up shows. */
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from([0, 255, 251, 239, 190, 62, 63])]);
const JPEG = Buffer.from('ffd8ffe000104a464946', 'hex');
const MIB = 1024 * 1024;

type GoogleErrorBody = {
	code: number;
	message: string;
	status: string;
	details?: ({ '@type': string } & Record<string, unknown>)[];
};

let fake: FakeGemini;

beforeAll(async () => {
	fake = await startFakeGemini({ defaultChunkDelayMs: 1 });
});

afterEach(() => {
	fake.reset();
});

afterAll(async () => {
	await fake.close();
});

function client(apiKey = fake.apiKey, url = fake.url): GoogleGenAI {
	return new GoogleGenAI({ apiKey, httpOptions: { baseUrl: url, apiVersion: 'v1beta' } });
}

async function collect(stream: AsyncIterable<GenerateContentResponse>): Promise<GenerateContentResponse[]> {
	const chunks: GenerateContentResponse[] = [];
	for await (const chunk of stream) chunks.push(chunk);
	return chunks;
}

async function streamText(contents: string, abortSignal?: AbortSignal): Promise<GenerateContentResponse[]> {
	const config = abortSignal === undefined ? {} : { abortSignal };
	return collect(await client().models.generateContentStream({ model: MODEL, contents, config }));
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
	try {
		await promise;
	} catch (error) {
		return error;
	}
	throw new Error('expected a rejection');
}

async function apiErrorOf(promise: Promise<unknown>): Promise<ApiError> {
	const error = await errorOf(promise);
	if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
	return error;
}

/** §7.5 of the reference: strip the mid-stream prefix, then undo the text/event-stream double wrap. */
function googleErrorOf(error: ApiError): GoogleErrorBody {
	const outer = JSON.parse(error.message.replace(/^got status: \w+\. /, '')) as { error: GoogleErrorBody };
	if (!outer.error.message.startsWith('{')) return outer.error;
	return (JSON.parse(outer.error.message) as { error: GoogleErrorBody }).error;
}

function detailOf(error: GoogleErrorBody, type: string): Record<string, unknown> | undefined {
	return error.details?.find((detail) => detail['@type'] === `type.googleapis.com/google.rpc.${type}`);
}

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
	return fetch(`${fake.url}${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify(body),
	});
}

describe('streaming replies', () => {
	it('streams scripted chunks in order with finishReason and running-total usage on the last chunk', async () => {
		fake.enqueue({ kind: 'reply', chunks: ['Hel', 'lo, ', 'world!'] });
		const chunks = await streamText('Hi');

		expect(chunks.map((chunk) => chunk.text)).toEqual(['Hel', 'lo, ', 'world!']);
		expect(chunks.map((chunk) => chunk.candidates?.[0]?.finishReason)).toEqual([undefined, undefined, 'STOP']);
		const prompt = chunks[0]?.usageMetadata?.promptTokenCount ?? 0;
		expect(prompt).toBe(Math.ceil(JSON.stringify([{ parts: [{ text: 'Hi' }], role: 'user' }]).length / 4));
		expect(chunks[1]?.usageMetadata).toMatchObject({ promptTokenCount: prompt, totalTokenCount: prompt });
		expect(chunks[1]?.usageMetadata?.candidatesTokenCount).toBeUndefined();
		expect(chunks[2]?.usageMetadata).toMatchObject({ candidatesTokenCount: 4, totalTokenCount: prompt + 4 });
		expect(new Set(chunks.map((chunk) => chunk.responseId)).size).toBe(1);
		expect(chunks.every((chunk) => chunk.modelVersion === MODEL)).toBe(true);
		expect(chunks.every((chunk) => chunk.candidates?.[0]?.continuationToken === undefined)).toBe(true);
	});

	it('sends a leading thought part, scripted usage and a custom finishReason', async () => {
		fake.enqueue({
			kind: 'reply',
			chunks: ['Answer'],
			thought: 'Let me think.',
			finishReason: 'MAX_TOKENS',
			usage: { promptTokenCount: 55, candidatesTokenCount: 7, thoughtsTokenCount: 4 },
		});
		const chunks = await streamText('Question');

		expect(chunks[0]?.candidates?.[0]?.content?.parts).toEqual([{ text: 'Let me think.', thought: true }]);
		expect(chunks[0]?.text).toBeUndefined();
		expect(chunks[0]?.usageMetadata).toMatchObject({ promptTokenCount: 55, totalTokenCount: 55 });
		expect(chunks[1]?.text).toBe('Answer');
		expect(chunks[1]?.candidates?.[0]?.finishReason).toBe('MAX_TOKENS');
		expect(chunks[1]?.usageMetadata).toMatchObject({
			promptTokenCount: 55,
			candidatesTokenCount: 7,
			thoughtsTokenCount: 4,
			totalTokenCount: 66,
		});
	});

	it('sends one content-less final chunk for an empty reply, with safety ratings on SAFETY', async () => {
		fake.enqueue({ kind: 'reply', chunks: [], finishReason: 'SAFETY' });
		const chunks = await streamText('Something risky');

		expect(chunks).toHaveLength(1);
		expect(chunks[0]?.text).toBeUndefined();
		expect(chunks[0]?.candidates?.[0]).toMatchObject({ finishReason: 'SAFETY', index: 0 });
		expect(chunks[0]?.candidates?.[0]?.content).toBeUndefined();
		expect(chunks[0]?.candidates?.[0]?.safetyRatings?.[0]).toMatchObject({ probability: 'HIGH', blocked: true });
	});

	it('echoes the last user turn in three chunks by default, and consults the responder before that', async () => {
		const echo = await streamText('ping pong');
		expect(echo).toHaveLength(3);
		expect(echo.map((chunk) => chunk.text).join('')).toBe('Echo: ping pong');

		fake.respondWith((request) =>
			request.contents[0]?.text === 'scripted' ? { kind: 'reply', chunks: ['ok'] } : undefined,
		);
		expect((await streamText('scripted')).map((chunk) => chunk.text)).toEqual(['ok']);
		expect((await streamText('other')).map((chunk) => chunk.text).join('')).toBe('Echo: other');
	});

	it('ends cleanly without a finishReason for no-finish', async () => {
		fake.enqueue({ kind: 'no-finish', chunks: ['partial', ' reply'] });
		const chunks = await streamText('Hi');

		expect(chunks.map((chunk) => chunk.text)).toEqual(['partial', ' reply']);
		expect(chunks.every((chunk) => chunk.candidates?.[0]?.finishReason === undefined)).toBe(true);
		expect(fake.requests).toHaveLength(1);
	});

	it('yields a chunk without candidates for a blocked prompt', async () => {
		fake.enqueue({ kind: 'blocked-prompt', blockReason: 'PROHIBITED_CONTENT' });
		const chunks = await streamText('Hi');

		expect(chunks).toHaveLength(1);
		expect(chunks[0]?.candidates).toBeUndefined();
		expect(chunks[0]?.text).toBeUndefined();
		expect(chunks[0]?.promptFeedback?.blockReason).toBe('PROHIBITED_CONTENT');
	});
});

describe('request recording', () => {
	it('records version, model, contents, system instruction, config and the api key header', async () => {
		const contents = [
			{ role: 'user', parts: [{ text: 'Hi' }] },
			{ role: 'model', parts: [{ text: 'Hello! ' }, { text: 'How can I help?' }] },
			{ role: 'user', parts: [{ text: 'Say hello world' }] },
		];
		const config = { systemInstruction: 'You are a Discord bot.', temperature: 0.7, maxOutputTokens: 256 };
		await collect(await client().models.generateContentStream({ model: MODEL, contents, config }));

		const [request] = await fake.waitForRequests(1);
		expect(request).toMatchObject({
			method: 'POST',
			path: `/v1beta/models/${MODEL}:streamGenerateContent`,
			apiVersion: 'v1beta',
			model: MODEL,
			action: 'streamGenerateContent',
			query: { alt: 'sse' },
			contents: [
				{ role: 'user', text: 'Hi' },
				{ role: 'model', text: 'Hello! How can I help?' },
				{ role: 'user', text: 'Say hello world' },
			],
			systemInstruction: 'You are a Discord bot.',
			generationConfig: { temperature: 0.7, maxOutputTokens: 256 },
		});
		expect(request?.headers['x-goog-api-key']).toBe('test-key');
		expect(request?.body).toMatchObject({ systemInstruction: { role: 'user' } });
	});

	it('waitForRequests rejects after its timeout and reset() clears the log', async () => {
		await streamText('one');
		expect(fake.requests).toHaveLength(1);
		await expect(fake.waitForRequests(2, 20)).rejects.toThrow(/expected 2 request/);
		fake.reset();
		expect(fake.requests).toHaveLength(0);
	});
});

describe('HTTP errors', () => {
	it('surfaces a scripted 429 as ApiError whose double-wrapped message carries RetryInfo', async () => {
		fake.enqueue({ kind: 'http-error', status: 429, retryDelay: '1.5s' });
		const error = await apiErrorOf(client().models.generateContentStream({ model: MODEL, contents: 'Hi' }));

		expect(error.status).toBe(429);
		const outer = (JSON.parse(error.message) as { error: { status: string } }).error;
		expect(outer.status).toBe('Too Many Requests');
		const inner = googleErrorOf(error);
		expect(inner).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
		expect(inner.message).toContain('Please retry in 1.5s.');
		expect(detailOf(inner, 'RetryInfo')).toEqual({
			'@type': 'type.googleapis.com/google.rpc.RetryInfo',
			retryDelay: '1.5s',
		});
		expect(detailOf(inner, 'QuotaFailure')).toBeDefined();
		expect(detailOf(inner, 'Help')).toBeDefined();
		expect(fake.stats.served429).toBe(1);
	});

	it('can send a stream-route error as application/json (single wrap)', async () => {
		fake.enqueue({ kind: 'http-error', status: 429, retryDelay: '2s', errorContentType: 'json' });
		const error = await apiErrorOf(client().models.generateContentStream({ model: MODEL, contents: 'Hi' }));

		const outer = (JSON.parse(error.message) as { error: GoogleErrorBody }).error;
		expect(outer.status).toBe('RESOURCE_EXHAUSTED');
		expect(detailOf(outer, 'RetryInfo')).toMatchObject({ retryDelay: '2s' });
	});

	it.each([
		[400, 'INVALID_ARGUMENT'],
		[503, 'UNAVAILABLE'],
	])('surfaces a scripted %i as ApiError with status %s', async (status, statusName) => {
		fake.enqueue({ kind: 'http-error', status, message: 'scripted failure' });
		const error = await apiErrorOf(client().models.generateContentStream({ model: MODEL, contents: 'Hi' }));

		expect(error.status).toBe(status);
		expect(googleErrorOf(error)).toEqual({ code: status, message: 'scripted failure', status: statusName });
	});

	it('sends a per-day 429 with the PerDay quotaId and no RetryInfo', async () => {
		fake.enqueue({ kind: 'per-day-429' });
		const error = await apiErrorOf(client().models.generateContentStream({ model: MODEL, contents: 'Hi' }));

		expect(error.status).toBe(429);
		const inner = googleErrorOf(error);
		expect(detailOf(inner, 'RetryInfo')).toBeUndefined();
		expect(JSON.stringify(detailOf(inner, 'QuotaFailure'))).toContain(
			'GenerateRequestsPerDayPerProjectPerModel-FreeTier',
		);
		expect(inner.message).not.toContain('Please retry in');
	});

	it('rejects a missing key with 403 and a wrong key with 400 API_KEY_INVALID', async () => {
		const missing = await post(`/v1beta/models/${MODEL}:generateContent`, { contents: [{ parts: [{ text: 'x' }] }] });
		expect(missing.status).toBe(403);
		expect(((await missing.json()) as { error: GoogleErrorBody }).error.status).toBe('PERMISSION_DENIED');

		const error = await apiErrorOf(client('wrong-key').models.generateContentStream({ model: MODEL, contents: 'Hi' }));
		expect(error.status).toBe(400);
		const inner = googleErrorOf(error);
		expect(inner.message).toBe('API key not valid. Please pass a valid API key.');
		expect(detailOf(inner, 'ErrorInfo')).toMatchObject({ reason: 'API_KEY_INVALID' });
		expect(fake.requests).toHaveLength(2);
	});

	it('accepts the key as ?key= too', async () => {
		const response = await post(`/v1beta/models/${MODEL}:countTokens?key=test-key`, {
			contents: [{ parts: [{ text: 'abcd' }] }],
		});
		expect(response.status).toBe(200);
	});

	it('answers a nonexistent model with the real 404 text and unknown paths with 404', async () => {
		const error = await apiErrorOf(client().models.generateContent({ model: 'nonexistent-model', contents: 'Hi' }));
		expect(error.status).toBe(404);
		expect(googleErrorOf(error).message).toBe(
			'models/nonexistent-model is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.',
		);

		const unknown = await post('/v1beta/models', {}, { 'x-goog-api-key': 'test-key' });
		expect(unknown.status).toBe(404);
	});

	it('validates requests with Google-style 400 messages', async () => {
		const headers = { 'x-goog-api-key': 'test-key' };
		const path = `/v1beta/models/${MODEL}:generateContent`;
		const messageOf = async (body: unknown) => {
			const response = await post(path, body, headers);
			expect(response.status).toBe(400);
			return ((await response.json()) as { error: GoogleErrorBody }).error.message;
		};
		expect(await messageOf({ contents: [] })).toContain('contents is not specified');
		expect(await messageOf({ contents: [{ role: 'system', parts: [{ text: 'x' }] }] })).toBe(
			'Please use a valid role: user, model.',
		);
		expect(await messageOf({ contents: [{ role: 'user', parts: [] }] })).toContain('must not be empty');
		expect(
			await messageOf({ contents: [{ parts: [{ text: 'x', inlineData: { mimeType: 'a/b', data: '' } }] }] }),
		).toContain("oneof field 'data' is already set");
		const error = await apiErrorOf(
			client().models.generateContent({ model: MODEL, contents: 'Hi', config: { temperature: 3 } }),
		);
		expect(error.status).toBe(400);
		expect(googleErrorOf(error).message).toContain('temperature');
	});
});

describe('mid-stream failures', () => {
	it('throws ApiError 503 from the iterator after the first chunks for sse-error-after', async () => {
		fake.enqueue({ kind: 'sse-error-after', chunks: ['one', 'two'] });
		const received: (string | undefined)[] = [];
		const stream = await client().models.generateContentStream({ model: MODEL, contents: 'Hi' });
		const error = await errorOf(
			(async () => {
				for await (const chunk of stream) received.push(chunk.text);
			})(),
		);

		expect(received).toEqual(['one', 'two']);
		expect(error).toBeInstanceOf(ApiError);
		expect((error as ApiError).status).toBe(503);
		expect((error as ApiError).message).toMatch(/^got status: UNAVAILABLE\. /);
		expect(googleErrorOf(error as ApiError).status).toBe('UNAVAILABLE');
	});

	it('throws TypeError when the server drops the socket', async () => {
		fake.enqueue({ kind: 'drop-after', chunks: ['one'], chunkDelayMs: 5 });
		const received: (string | undefined)[] = [];
		const stream = await client().models.generateContentStream({ model: MODEL, contents: 'Hi' });
		const error = await errorOf(
			(async () => {
				for await (const chunk of stream) received.push(chunk.text);
			})(),
		);

		expect(received).toEqual(['one']);
		expect(error).toBeInstanceOf(TypeError);
		await vi.waitFor(() => {
			expect(fake.stats.openStreams).toBe(0);
		});
		expect(fake.stats.clientAborts).toBe(0);
	});

	it('lets the client abort a hanging stream and counts the abort', async () => {
		fake.enqueue({ kind: 'hang-after', chunks: ['waiting'] });
		const controller = new AbortController();
		const stream = await client().models.generateContentStream({
			model: MODEL,
			contents: 'Hi',
			config: { abortSignal: controller.signal },
		});
		const error = await errorOf(
			(async () => {
				for await (const chunk of stream) {
					expect(chunk.text).toBe('waiting');
					controller.abort();
				}
			})(),
		);

		expect((error as Error).name).toBe('AbortError');
		await vi.waitFor(() => {
			expect(fake.stats).toMatchObject({ clientAborts: 1, openStreams: 0 });
		});
	});

	it('keeps openStreams accurate across reset() and does not count older aborts', async () => {
		fake.enqueue({ kind: 'hang-after', chunks: [] });
		const controller = new AbortController();
		const pending = errorOf(streamText('Hi', controller.signal));
		await vi.waitFor(() => {
			expect(fake.stats.openStreams).toBe(1);
		});
		fake.reset();
		expect(fake.stats).toEqual({ openStreams: 1, maxConcurrentStreams: 1, clientAborts: 0, served429: 0 });
		controller.abort();
		expect(((await pending) as Error).name).toBe('AbortError');
		await vi.waitFor(() => {
			expect(fake.stats.openStreams).toBe(0);
		});
		expect(fake.stats.clientAborts).toBe(0);
	});

	it('throws SyntaxError for a malformed event', async () => {
		fake.enqueue({ kind: 'malformed' });
		expect(await errorOf(streamText('Hi'))).toBeInstanceOf(SyntaxError);
	});
});

describe('limits and concurrency', () => {
	it('answers 429 with a retryDelay once over the RPM limit', async () => {
		fake.setRequestsPerMinute(2);
		await streamText('one');
		await streamText('two');
		const error = await apiErrorOf(streamText('three'));

		expect(error.status).toBe(429);
		const inner = googleErrorOf(error);
		const retryDelay = String(detailOf(inner, 'RetryInfo')?.retryDelay);
		const seconds = Number.parseFloat(retryDelay);
		expect(retryDelay).toMatch(/^\d+(\.\d+)?s$/);
		expect(seconds).toBeGreaterThan(29);
		expect(seconds).toBeLessThanOrEqual(30);
		expect(inner.message).toContain('limit: 2, model: gemini-2.5-flash');
		expect(fake.stats.served429).toBe(1);
		expect(fake.requests).toHaveLength(3);

		fake.setRequestsPerMinute(undefined);
		expect(await streamText('four')).toHaveLength(3);
	});

	it('opens the stream at once and holds the first chunk for firstChunkDelayMs', async () => {
		fake.enqueue({ kind: 'reply', chunks: ['late', ' start'], firstChunkDelayMs: 300 });
		const startedAt = Date.now();
		const stream = await client().models.generateContentStream({ model: MODEL, contents: 'hi' });
		const openedAt = Date.now();
		const chunks = await collect(stream);
		expect(openedAt - startedAt).toBeLessThan(250);
		expect(Date.now() - startedAt).toBeGreaterThanOrEqual(300);
		expect(chunks.map((chunk) => chunk.text).join('')).toBe('late start');
	});

	it('counts streams open at the same time', async () => {
		const slow = { kind: 'reply', chunks: ['a', 'b', 'c'], chunkDelayMs: 30 } as const;
		fake.enqueue(slow, slow, slow);
		await Promise.all([streamText('1'), streamText('2'), streamText('3')]);

		await vi.waitFor(() => {
			expect(fake.stats.openStreams).toBe(0);
		});
		expect(fake.stats.maxConcurrentStreams).toBe(3);
	});
});

describe('unary routes', () => {
	it('answers generateContent with the whole scripted text in one JSON response', async () => {
		fake.enqueue({ kind: 'reply', chunks: ['A short ', 'summary.'] });
		const response = await client().models.generateContent({ model: MODEL, contents: 'Summarize' });

		expect(response.text).toBe('A short summary.');
		expect(response.candidates?.[0]?.finishReason).toBe('STOP');
		expect(response.usageMetadata?.candidatesTokenCount).toBe(4);
		expect(fake.requests[0]).toMatchObject({ action: 'generateContent', query: {} });
	});

	it('sends unary errors as application/json (single wrap)', async () => {
		fake.enqueue({ kind: 'http-error', status: 429, retryDelay: '3s' });
		const error = await apiErrorOf(client().models.generateContent({ model: MODEL, contents: 'Hi' }));

		const outer = (JSON.parse(error.message) as { error: GoogleErrorBody }).error;
		expect(outer).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
		expect(detailOf(outer, 'RetryInfo')).toMatchObject({ retryDelay: '3s' });
	});

	it('plays failure scenarios on the unary route too', async () => {
		const generate = () => client().models.generateContent({ model: MODEL, contents: 'Hi' });
		fake.enqueue({ kind: 'drop-after', chunks: ['lost'] });
		expect(await errorOf(generate())).toBeInstanceOf(TypeError);
		fake.enqueue({ kind: 'malformed' });
		expect(await errorOf(generate())).toBeInstanceOf(SyntaxError);
		fake.enqueue({ kind: 'sse-error-after', chunks: ['x'] });
		expect((await apiErrorOf(generate())).status).toBe(503);
		fake.enqueue({ kind: 'blocked-prompt' });
		const blocked = await generate();
		expect(blocked.candidates).toBeUndefined();
		expect(blocked.promptFeedback?.blockReason).toBe('SAFETY');
		fake.enqueue({ kind: 'no-finish', chunks: ['cut ', 'off'] });
		const unfinished = await generate();
		expect(unfinished.text).toBe('cut off');
		expect(unfinished.candidates?.[0]?.finishReason).toBeUndefined();
	});

	it('counts tokens as ceil(JSON length of contents / 4) without consuming a scenario', async () => {
		fake.enqueue({ kind: 'reply', chunks: ['kept'] });
		const result = await client().models.countTokens({ model: MODEL, contents: 'How many tokens is this?' });

		const expected = Math.ceil(
			JSON.stringify([{ parts: [{ text: 'How many tokens is this?' }], role: 'user' }]).length / 4,
		);
		expect(result.totalTokens).toBe(expected);
		expect(fake.requests[0]?.action).toBe('countTokens');
		expect((await streamText('Hi')).map((chunk) => chunk.text)).toEqual(['kept']);
	});
});

describe('multimodal input', () => {
	const imageTurn = (text: string, mimeType: string, data: string) => ({
		role: 'user',
		parts: [{ text }, { inlineData: { mimeType, data } }],
	});

	it('records inline data with its exact bytes, content index and part order', async () => {
		const contents = [
			{ role: 'user', parts: [{ text: 'Hi' }] },
			{ role: 'model', parts: [{ text: 'Hello!' }] },
			imageTurn('describe', 'image/png', PNG.toString('base64')),
			{
				role: 'user',
				parts: [{ inlineData: { mimeType: 'image/jpeg', data: JPEG.toString('base64') } }, { text: 'and this' }],
			},
		];
		fake.enqueue({ kind: 'reply', chunks: ['Two images.'] });
		const response = await client().models.generateContent({
			model: MODEL,
			contents,
			config: { systemInstruction: 'Be brief.' },
		});

		expect(response.text).toBe('Two images.');
		const [request] = fake.requests;
		expect(request?.inlineData).toEqual([
			{ contentIndex: 2, mimeType: 'image/png', data: PNG },
			{ contentIndex: 3, mimeType: 'image/jpeg', data: JPEG },
		]);
		expect(request?.inlineData[0]?.data.equals(PNG)).toBe(true);
		expect(request?.contents.map((content) => content.parts)).toEqual([
			[{ text: 'Hi' }],
			[{ text: 'Hello!' }],
			[{ text: 'describe' }, { inlineData: { mimeType: 'image/png', bytes: PNG.length } }],
			[{ inlineData: { mimeType: 'image/jpeg', bytes: JPEG.length } }, { text: 'and this' }],
		]);
		// `parts` is not enumerable: whole-array assertions on { role, text } still hold.
		expect(request?.contents).toEqual([
			{ role: 'user', text: 'Hi' },
			{ role: 'model', text: 'Hello!' },
			{ role: 'user', text: 'describe' },
			{ role: 'user', text: 'and this' },
		]);
		expect(request?.systemInstruction).toBe('Be brief.');
		const textOnly = contents.map((content) => ({
			...content,
			parts: content.parts.map((part) =>
				'inlineData' in part ? { inlineData: { ...part.inlineData, data: '' } } : part,
			),
		}));
		const expectedPrompt = Math.ceil(
			(JSON.stringify(textOnly) + JSON.stringify({ parts: [{ text: 'Be brief.' }], role: 'user' })).length / 4,
		);
		expect(response.usageMetadata?.promptTokenCount).toBe(expectedPrompt + 2 * 258);
	});

	it('accepts every mime type Gemini supports', async () => {
		const mimeTypes = [
			...['image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif', 'application/pdf', 'text/plain'],
			...['audio/wav', 'audio/mp3', 'audio/mpeg', 'audio/aiff', 'audio/aac', 'audio/ogg', 'audio/flac'],
			...['video/mp4', 'video/mpeg', 'video/quicktime', 'video/webm', 'video/x-flv', 'video/3gpp', 'video/wmv'],
			'video/avi',
		];
		const parts = mimeTypes.map((mimeType) => ({ inlineData: { mimeType, data: 'AAEC' } }));
		const response = await client().models.generateContent({ model: MODEL, contents: [{ role: 'user', parts }] });

		expect(response.text).toBe('Echo: ');
		expect(fake.requests[0]?.inlineData.map((inline) => inline.mimeType)).toEqual(mimeTypes);
		expect(fake.requests[0]?.inlineData.every((inline) => inline.data.equals(Buffer.from([0, 1, 2])))).toBe(true);
	});

	it('rejects an unsupported mime type with 400 naming it, on unary and stream routes', async () => {
		const gif = imageTurn('describe', 'image/gif', 'R0lGODlh');
		const error = await apiErrorOf(client().models.generateContent({ model: MODEL, contents: [gif] }));
		expect(error.status).toBe(400);
		expect(googleErrorOf(error)).toEqual({
			code: 400,
			message: 'Unsupported MIME type: image/gif',
			status: 'INVALID_ARGUMENT',
		});

		const zip = imageTurn('unpack', 'application/zip', 'UEsDBA==');
		const streamError = await apiErrorOf(client().models.generateContentStream({ model: MODEL, contents: [zip] }));
		expect(streamError.status).toBe(400);
		expect(googleErrorOf(streamError).message).toBe('Unsupported MIME type: application/zip');
		expect(fake.requests).toHaveLength(2);
		expect(fake.requests[0]?.inlineData[0]?.mimeType).toBe('image/gif');
	});

	it.each([
		['missing padding', 'iVBORw0KGgo'],
		['an invalid character', 'iVBO*w0KGgo='],
		['padding inside', 'ab=c'],
		['URL-safe characters', 'ab-_'],
		['whitespace', 'iVBO Rw0K'],
	])('rejects data with %s as bad base64', async (_label, data) => {
		const error = await apiErrorOf(
			client().models.generateContent({ model: MODEL, contents: [imageTurn('look', 'image/png', data)] }),
		);

		expect(error.status).toBe(400);
		expect(googleErrorOf(error).message).toBe(
			`Invalid value at 'contents[0].parts[1].inline_data.data' (TYPE_BYTES), Base64 decoding failed for "${data}"`,
		);
	});

	it('rejects more than 20 MB of decoded inline data in total, and accepts exactly 20 MB', async () => {
		const half = Buffer.alloc(10 * MIB + 1, 7).toString('base64');
		const tooBig = { role: 'user', parts: [{ inlineData: { mimeType: 'application/pdf', data: half } }] };
		const error = await apiErrorOf(
			client().models.generateContent({ model: MODEL, contents: [imageTurn('one', 'image/png', half), tooBig] }),
		);
		expect(error.status).toBe(400);
		expect(googleErrorOf(error)).toMatchObject({
			message: 'Request payload size exceeds the limit: 20971520 bytes.',
			status: 'INVALID_ARGUMENT',
		});

		const exact = Buffer.alloc(20 * MIB, 7).toString('base64');
		const result = await client().models.countTokens({
			model: MODEL,
			contents: [imageTurn('big', 'video/mp4', exact)],
		});
		expect(result.totalTokens).toBeGreaterThan(258);
		expect(fake.requests[1]?.inlineData[0]?.data.length).toBe(20 * MIB);
	});
});

describe('image output', () => {
	const IMAGE_CONFIG = { responseModalities: ['TEXT', 'IMAGE'] };

	async function generateImage(prompt = 'Draw a cat') {
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
		try {
			const response = await client().models.generateContent({
				model: IMAGE_MODEL,
				contents: prompt,
				config: IMAGE_CONFIG,
			});
			// The SDK's getters warn about parts of the other kind; read them while the spy is on.
			return { response, text: response.text, data: response.data, warnings: warn.mock.calls.map(String) };
		} finally {
			warn.mockRestore();
		}
	}

	it('sends responseModalities as sent and answers thought, text and inlineData parts (unary)', async () => {
		fake.enqueue({
			kind: 'image',
			thought: 'A cat, then.',
			text: 'Here is your cat.',
			images: [{ mimeType: 'image/png', data: PNG }],
		});
		const { response, text, data, warnings } = await generateImage();

		expect(fake.requests[0]?.generationConfig).toEqual({ responseModalities: ['TEXT', 'IMAGE'] });
		expect(fake.requests[0]?.model).toBe(IMAGE_MODEL);
		const candidate = response.candidates?.[0];
		expect(candidate?.content?.parts).toEqual([
			{ text: 'A cat, then.', thought: true },
			{ text: 'Here is your cat.' },
			{ inlineData: { mimeType: 'image/png', data: PNG.toString('base64') } },
		]);
		expect(Buffer.from(candidate?.content?.parts?.[2]?.inlineData?.data ?? '', 'base64').equals(PNG)).toBe(true);
		expect(candidate?.finishReason).toBe('STOP');
		expect(text).toBe('Here is your cat.');
		expect(data).toBe(PNG.toString('base64'));
		expect(warnings).toEqual([
			expect.stringContaining('there are non-text parts inlineData in the response'),
			expect.stringContaining('there are non-data parts text,thought,text in the response'),
		]);
		expect(response.usageMetadata).toMatchObject({
			candidatesTokenCount: Math.ceil('Here is your cat.'.length / 4) + 1290,
			thoughtsTokenCount: Math.ceil('A cat, then.'.length / 4),
		});
	});

	it('streams thought, text, then one chunk per image with finishReason on the last', async () => {
		const images = [
			{ mimeType: 'image/png', data: PNG },
			{ mimeType: 'image/jpeg', data: JPEG },
		];
		fake.enqueue({ kind: 'image', thought: 'Two cats.', text: 'Here they are.', images });
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
		const stream = await client().models.generateContentStream({
			model: IMAGE_MODEL,
			contents: 'Draw',
			config: IMAGE_CONFIG,
		});
		const chunks = await collect(stream);
		const texts = chunks.map((chunk) => chunk.text);
		const data = chunks.map((chunk) => chunk.data);
		warn.mockRestore();

		expect(chunks.map((chunk) => chunk.candidates?.[0]?.content?.parts)).toEqual([
			[{ text: 'Two cats.', thought: true }],
			[{ text: 'Here they are.' }],
			[{ inlineData: { mimeType: 'image/png', data: PNG.toString('base64') } }],
			[{ inlineData: { mimeType: 'image/jpeg', data: JPEG.toString('base64') } }],
		]);
		expect(chunks.map((chunk) => chunk.candidates?.[0]?.finishReason)).toEqual([
			undefined,
			undefined,
			undefined,
			'STOP',
		]);
		expect(texts).toEqual([undefined, 'Here they are.', undefined, undefined]);
		expect(data).toEqual([undefined, undefined, PNG.toString('base64'), JPEG.toString('base64')]);
		expect(fake.requests[0]?.generationConfig).toEqual({ responseModalities: ['TEXT', 'IMAGE'] });
	});

	it('answers text-only with text and no data, and thoughts-only with neither', async () => {
		fake.enqueue({ kind: 'text-only', text: 'I cannot draw that, but here is a poem.' });
		const textOnly = await generateImage();
		expect(textOnly.response.candidates?.[0]?.content?.parts).toEqual([
			{ text: 'I cannot draw that, but here is a poem.' },
		]);
		expect(textOnly.response.candidates?.[0]?.finishReason).toBe('STOP');
		expect(textOnly.text).toBe('I cannot draw that, but here is a poem.');
		expect(textOnly.data).toBeUndefined();
		expect(textOnly.warnings).toEqual([expect.stringContaining('there are non-data parts text in the response')]);

		fake.enqueue({ kind: 'thoughts-only', thought: 'Drawing a cat means...' });
		const thoughtsOnly = await generateImage();
		expect(thoughtsOnly.response.candidates?.[0]?.content?.parts).toEqual([
			{ text: 'Drawing a cat means...', thought: true },
		]);
		expect(thoughtsOnly.response.candidates?.[0]?.finishReason).toBe('STOP');
		expect(thoughtsOnly.text).toBeUndefined();
		expect(thoughtsOnly.data).toBeUndefined();
		expect(thoughtsOnly.warnings).toEqual([
			expect.stringContaining('there are non-data parts text,thought in the response'),
		]);
	});

	it('streams text-only as one text chunk and thoughts-only as a thought chunk then a content-less STOP', async () => {
		fake.enqueue({ kind: 'text-only', text: 'Just words.' }, { kind: 'thoughts-only', thought: 'Hmm.' });
		const textOnly = await streamText('Draw');
		expect(textOnly.map((chunk) => [chunk.text, chunk.candidates?.[0]?.finishReason])).toEqual([
			['Just words.', 'STOP'],
		]);

		const thoughtsOnly = await streamText('Draw');
		expect(thoughtsOnly.map((chunk) => chunk.candidates?.[0]?.content?.parts)).toEqual([
			[{ text: 'Hmm.', thought: true }],
			undefined,
		]);
		expect(thoughtsOnly.map((chunk) => chunk.text)).toEqual([undefined, undefined]);
		expect(thoughtsOnly[1]?.candidates?.[0]?.finishReason).toBe('STOP');
	});

	it('ends with IMAGE_SAFETY or SAFETY and no image, and blocks a prompt with IMAGE_SAFETY', async () => {
		fake.enqueue({ kind: 'image', images: [], finishReason: 'IMAGE_SAFETY' });
		const imageSafety = await generateImage();
		expect(imageSafety.response.candidates).toEqual([{ finishReason: 'IMAGE_SAFETY', index: 0 }]);
		expect([imageSafety.text, imageSafety.data, imageSafety.warnings]).toEqual([undefined, undefined, []]);

		fake.enqueue({ kind: 'reply', chunks: [], finishReason: 'IMAGE_SAFETY' });
		const streamed = await streamText('Draw');
		expect(streamed.map((chunk) => chunk.candidates)).toEqual([[{ finishReason: 'IMAGE_SAFETY', index: 0 }]]);

		fake.enqueue({ kind: 'image', text: 'I drew nothing.', images: [], finishReason: 'SAFETY' });
		const safety = await generateImage();
		expect(safety.response.candidates?.[0]).toMatchObject({ finishReason: 'SAFETY', index: 0 });
		expect(safety.response.candidates?.[0]?.safetyRatings?.[0]).toMatchObject({ blocked: true });
		expect(safety.text).toBe('I drew nothing.');
		expect(safety.data).toBeUndefined();

		fake.enqueue({ kind: 'blocked-prompt', blockReason: 'IMAGE_SAFETY' });
		const blocked = await generateImage();
		expect(blocked.response.candidates).toBeUndefined();
		expect(blocked.response.promptFeedback?.blockReason).toBe('IMAGE_SAFETY');
		expect([blocked.text, blocked.data]).toEqual([undefined, undefined]);
	});

	it('lets respondWith pick an outcome per request and records what each call asked for', async () => {
		fake.respondWith((request) => {
			const modalities = request.generationConfig?.responseModalities;
			return Array.isArray(modalities) && modalities.includes('IMAGE')
				? { kind: 'image', images: [{ mimeType: 'image/png', data: PNG }] }
				: { kind: 'text-only', text: 'Text it is.' };
		});
		const generate = (responseModalities: string[]) =>
			client().models.generateContent({ model: IMAGE_MODEL, contents: 'Draw', config: { responseModalities } });

		const first = await generate(['TEXT']);
		const second = await generate(['TEXT', 'IMAGE']);

		expect(first.candidates?.[0]?.content?.parts).toEqual([{ text: 'Text it is.' }]);
		expect(second.candidates?.[0]?.content?.parts).toEqual([
			{ inlineData: { mimeType: 'image/png', data: PNG.toString('base64') } },
		]);
		expect(fake.requests.map((request) => request.generationConfig?.responseModalities)).toEqual([
			['TEXT'],
			['TEXT', 'IMAGE'],
		]);
	});
});

describe('tools, thinking and implicit caching', () => {
	const PRO_MODEL = 'gemini-2.5-pro';
	const GROUNDING = {
		webSearchQueries: ['euro 2024 winner'],
		chunks: [
			{ uri: 'https://vertexaisearch.cloud.google.com/grounding-api-redirect/AAA', title: 'uefa.com' },
			{ uri: 'https://vertexaisearch.cloud.google.com/grounding-api-redirect/BBB', title: 'wikipedia.org' },
		],
		supports: [
			{ startIndex: 0, endIndex: 20, text: 'Spain won Euro 2024.', chunkIndices: [0, 1] },
			{ startIndex: 21, endIndex: 38, text: 'They beat England.', chunkIndices: [1] },
		],
	};
	const URL_CONTEXT = [
		{ url: 'https://example.com/a', status: 'URL_RETRIEVAL_STATUS_SUCCESS' },
		{ url: 'https://example.com/b', status: 'URL_RETRIEVAL_STATUS_ERROR' },
	] as const;
	const SUM_CODE = {
		language: 'PYTHON',
		code: 'print(sum(range(101)))',
		outcome: 'OUTCOME_OK',
		output: '5050\n',
		afterChunk: 0,
	} as const;
	const WIRE_GROUNDING = {
		webSearchQueries: ['euro 2024 winner'],
		searchEntryPoint: { renderedContent: expect.stringContaining('euro 2024 winner</a></div></div>') as unknown },
		groundingChunks: [{ web: GROUNDING.chunks[0] }, { web: GROUNDING.chunks[1] }],
		groundingSupports: [
			{ segment: { endIndex: 20, text: 'Spain won Euro 2024.' }, groundingChunkIndices: [0, 1] },
			{ segment: { startIndex: 21, endIndex: 38, text: 'They beat England.' }, groundingChunkIndices: [1] },
		],
	};
	const WIRE_URL_CONTEXT = {
		urlMetadata: [
			{ retrievedUrl: 'https://example.com/a', urlRetrievalStatus: 'URL_RETRIEVAL_STATUS_SUCCESS' },
			{ retrievedUrl: 'https://example.com/b', urlRetrievalStatus: 'URL_RETRIEVAL_STATUS_ERROR' },
		],
	};

	async function generate(route: 'stream' | 'unary', params: GenerateContentParameters): Promise<void> {
		if (route === 'unary') await client().models.generateContent(params);
		else await collect(await client().models.generateContentStream(params));
	}

	function partsOf(chunks: readonly GenerateContentResponse[]) {
		return chunks.map((chunk) => chunk.candidates?.[0]?.content?.parts);
	}

	it('sends groundingMetadata and urlContextMetadata on the last streamed chunk only', async () => {
		fake.enqueue({
			kind: 'reply',
			chunks: ['Spain won Euro 2024.', ' They beat England.'],
			groundingMetadata: GROUNDING,
			urlContext: URL_CONTEXT,
		});
		const chunks = await streamText('Who won Euro 2024?');

		expect(chunks.map((chunk) => chunk.text)).toEqual(['Spain won Euro 2024.', ' They beat England.']);
		expect(chunks[0]?.candidates?.[0]?.groundingMetadata).toBeUndefined();
		expect(chunks[0]?.candidates?.[0]?.urlContextMetadata).toBeUndefined();
		const last = chunks[1]?.candidates?.[0];
		expect(last?.finishReason).toBe('STOP');
		expect(last?.groundingMetadata).toEqual(WIRE_GROUNDING);
		expect(last?.groundingMetadata?.groundingChunks?.map((chunk) => [chunk.web?.uri, chunk.web?.title])).toEqual(
			GROUNDING.chunks.map((chunk) => [chunk.uri, chunk.title]),
		);
		expect(last?.groundingMetadata?.searchEntryPoint?.renderedContent).toMatch(/^<style>.*<div class="container">/);
		expect(last?.urlContextMetadata).toEqual(WIRE_URL_CONTEXT);
	});

	it('puts both on the unary candidate, and leaves out empty lists as proto3 JSON does', async () => {
		fake.enqueue(
			{ kind: 'reply', chunks: ['Spain ', 'won.'], groundingMetadata: GROUNDING, urlContext: URL_CONTEXT },
			{ kind: 'reply', chunks: ['No sources.'], groundingMetadata: { chunks: [] } },
		);
		const response = await client().models.generateContent({ model: MODEL, contents: 'Who won?' });
		expect(response.text).toBe('Spain won.');
		expect(response.candidates?.[0]?.groundingMetadata).toEqual(WIRE_GROUNDING);
		expect(response.candidates?.[0]?.urlContextMetadata).toEqual(WIRE_URL_CONTEXT);

		const [chunk] = await streamText('Anything?');
		expect(chunk?.candidates?.[0]?.groundingMetadata).toEqual({
			searchEntryPoint: { renderedContent: expect.any(String) as unknown },
		});
		expect(chunk?.candidates?.[0]?.urlContextMetadata).toBeUndefined();
	});

	it('streams executableCode and codeExecutionResult as separate chunks, in order, between text', async () => {
		fake.enqueue({ kind: 'reply', chunks: ['Let me compute.', ' The sum is 5050.'], code: [SUM_CODE] });
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
		const chunks = await streamText('Sum 1..100');
		const getters = chunks.map((chunk) => [chunk.text, chunk.executableCode, chunk.codeExecutionResult]);
		const warnings = warn.mock.calls.map(String);
		warn.mockRestore();

		expect(partsOf(chunks)).toEqual([
			[{ text: 'Let me compute.' }],
			[{ executableCode: { language: 'PYTHON', code: 'print(sum(range(101)))' } }],
			[{ codeExecutionResult: { outcome: 'OUTCOME_OK', output: '5050\n' } }],
			[{ text: ' The sum is 5050.' }],
		]);
		expect(getters).toEqual([
			['Let me compute.', undefined, undefined],
			[undefined, 'print(sum(range(101)))', undefined],
			[undefined, undefined, '5050\n'],
			[' The sum is 5050.', undefined, undefined],
		]);
		// `chunk.text` on a code chunk is undefined and warns: read the parts instead.
		expect(warnings).toEqual([
			expect.stringContaining('there are non-text parts executableCode in the response'),
			expect.stringContaining('there are non-text parts codeExecutionResult in the response'),
		]);
		expect(chunks.map((chunk) => chunk.candidates?.[0]?.finishReason)).toEqual([
			undefined,
			undefined,
			undefined,
			'STOP',
		]);
		expect(chunks[3]?.usageMetadata?.candidatesTokenCount).toBe(
			Math.ceil('Let me compute. The sum is 5050.print(sum(range(101)))'.length / 4),
		);
	});

	it('places code before the first text (afterChunk -1) or last, and joins text runs on the unary route', async () => {
		const failing = { ...SUM_CODE, code: '1/0', outcome: 'OUTCOME_FAILED', output: 'ZeroDivisionError' } as const;
		fake.enqueue({ kind: 'reply', chunks: ['Done.'], code: [{ ...SUM_CODE, afterChunk: -1 }, failing] });
		const chunks = await streamText('Run it');
		expect(partsOf(chunks).map((parts) => Object.keys(parts?.[0] ?? {})[0])).toEqual([
			'executableCode',
			'codeExecutionResult',
			'text',
			'executableCode',
			'codeExecutionResult',
		]);
		expect(chunks[4]?.candidates?.[0]).toMatchObject({
			finishReason: 'STOP',
			content: { parts: [{ codeExecutionResult: { outcome: 'OUTCOME_FAILED', output: 'ZeroDivisionError' } }] },
		});

		fake.enqueue({
			kind: 'reply',
			chunks: ['Let me ', 'compute.', ' The sum ', 'is 5050.'],
			code: [{ ...SUM_CODE, afterChunk: 1 }],
		});
		const response = await client().models.generateContent({ model: MODEL, contents: 'Sum 1..100' });
		expect(response.candidates?.[0]?.content?.parts).toEqual([
			{ text: 'Let me compute.' },
			{ executableCode: { language: 'PYTHON', code: 'print(sum(range(101)))' } },
			{ codeExecutionResult: { outcome: 'OUTCOME_OK', output: '5050\n' } },
			{ text: ' The sum is 5050.' },
		]);
		expect(response.executableCode).toBe('print(sum(range(101)))');
		expect(response.codeExecutionResult).toBe('5050\n');
	});

	it('fails loudly with a 500 when a scenario puts code after a chunk that does not exist', async () => {
		fake.enqueue({ kind: 'reply', chunks: ['one'], code: [{ ...SUM_CODE, afterChunk: 1 }] });
		const error = await apiErrorOf(client().models.generateContentStream({ model: MODEL, contents: 'Hi' }));
		expect(error.status).toBe(500);
		expect(error.message).toContain('code afterChunk must be an integer from -1 to 0, got 1');
	});

	it('sends cachedContentTokenCount and a scripted promptTokenCount as is on every chunk', async () => {
		const usage = { promptTokenCount: 5_000, cachedContentTokenCount: 4_096 };
		fake.enqueue({ kind: 'reply', chunks: ['a', 'b', 'cd'], thought: 'Hmm.', usage });
		const chunks = await streamText('Hi');

		expect(chunks).toHaveLength(4);
		for (const chunk of chunks) expect(chunk.usageMetadata).toMatchObject(usage);
		expect(chunks[3]?.usageMetadata).toMatchObject({
			candidatesTokenCount: 1,
			thoughtsTokenCount: 1,
			totalTokenCount: 5_002,
		});

		fake.enqueue({ kind: 'reply', chunks: ['ok'], usage });
		const response = await client().models.generateContent({ model: MODEL, contents: 'Hi' });
		expect(response.usageMetadata).toMatchObject({ ...usage, candidatesTokenCount: 1, totalTokenCount: 5_001 });
	});

	it.each(['stream', 'unary'] as const)(
		'records tools and generation config as the SDK sends them (%s)',
		async (route) => {
			const tools = [{ googleSearch: {} }, { urlContext: {} }, { codeExecution: {} }];
			const generationConfig = { temperature: 0.3, maxOutputTokens: 500, thinkingConfig: { thinkingBudget: 0 } };
			await generate(route, { model: MODEL, contents: 'Search', config: { tools, ...generationConfig } });
			await generate(route, { model: MODEL, contents: 'No tools' });

			const [request, plain] = fake.requests;
			expect(request?.tools).toEqual(tools);
			expect(request?.generationConfig).toEqual(generationConfig);
			expect(request?.body).toEqual({
				contents: [{ parts: [{ text: 'Search' }], role: 'user' }],
				tools,
				generationConfig,
			});
			// Without a config the SDK sends neither `tools` nor `generationConfig`.
			expect(plain?.body).toEqual({ contents: [{ parts: [{ text: 'No tools' }], role: 'user' }] });
			expect(plain?.tools).toEqual([]);
			expect(plain?.generationConfig).toBeUndefined();
		},
	);

	it('rejects thinkingBudget 0 on a pro model with the real message, and accepts other budgets', async () => {
		const config = { thinkingConfig: { thinkingBudget: 0 } };
		const expected = {
			code: 400,
			message: 'Budget 0 is invalid. This model only works in thinking mode.',
			status: 'INVALID_ARGUMENT',
		};
		for (const route of ['stream', 'unary'] as const) {
			const error = await apiErrorOf(generate(route, { model: PRO_MODEL, contents: 'Hi', config }));
			expect(error.status).toBe(400);
			expect(googleErrorOf(error)).toEqual(expected);
		}

		for (const thinkingBudget of [-1, 128]) {
			await generate('unary', { model: PRO_MODEL, contents: 'Hi', config: { thinkingConfig: { thinkingBudget } } });
		}
		await generate('unary', { model: 'gemini-2.5-flash-lite', contents: 'Hi', config });
		expect(fake.requests.map((request) => request.model)).toEqual([
			PRO_MODEL,
			PRO_MODEL,
			PRO_MODEL,
			PRO_MODEL,
			'gemini-2.5-flash-lite',
		]);
	});

	it('validates tools, thinkingBudget, temperature and maxOutputTokens with Google-style 400s', async () => {
		const contents = [{ parts: [{ text: 'x' }] }];
		const messageOf = async (extra: Record<string, unknown>) => {
			const response = await post(
				`/v1beta/models/${MODEL}:generateContent`,
				{ contents, ...extra },
				{
					'x-goog-api-key': 'test-key',
				},
			);
			expect(response.status).toBe(400);
			return ((await response.json()) as { error: GoogleErrorBody }).error.message;
		};
		const kinds = 'googleSearch, urlContext, codeExecution, functionDeclarations, googleSearchRetrieval';
		const tool = 'type.googleapis.com/google.ai.generativelanguage.v1beta.Tool';
		expect(await messageOf({ tools: [{}] })).toBe(
			`* GenerateContentRequest.tools[0]: a tool must set exactly one of ${kinds}; got none\n`,
		);
		expect(await messageOf({ tools: [{ googleSearch: {} }, { googleSearch: {}, urlContext: {} }] })).toBe(
			`* GenerateContentRequest.tools[1]: a tool must set exactly one of ${kinds}; got googleSearch, urlContext\n`,
		);
		expect(await messageOf({ tools: [{ googleSerch: {} }] })).toBe(
			`Invalid JSON payload received. Unknown name "googleSerch" at 'tools[0]': Cannot find field.`,
		);
		expect(await messageOf({ tools: [{ googleSearch: true }] })).toBe(
			`Invalid value at 'tools[0].google_search' (${tool}.GoogleSearch), true`,
		);
		expect(await messageOf({ tools: ['codeExecution'] })).toBe(
			`Invalid value at 'tools[0]' (${tool}), "codeExecution"`,
		);
		expect(await messageOf({ tools: { codeExecution: {} } })).toBe(
			`Invalid value at 'tools' (${tool}), {"codeExecution":{}}`,
		);
		const config = (generationConfig: Record<string, unknown>) => messageOf({ generationConfig });
		expect(await config({ thinkingConfig: { thinkingBudget: 1.5 } })).toBe(
			"Invalid value at 'generation_config.thinking_config.thinking_budget' (TYPE_INT32), 1.5",
		);
		expect(await config({ thinkingConfig: { thinkingBudget: -2 } })).toBe(
			'* GenerateContentRequest.generation_config.thinking_config.thinking_budget: thinking_budget must be -1 (dynamic) or at least 0, got -2\n',
		);
		expect(await config({ temperature: 2.5 })).toContain('temperature must be in the range [0.0, 2.0], got 2.5');
		expect(await config({ maxOutputTokens: 0 })).toContain('max_output_tokens must be positive');
		expect(await config({ maxOutputTokens: 1.5 })).toContain('(TYPE_INT32), 1.5');

		const all = [
			{ googleSearch: {} },
			{ urlContext: {} },
			{ codeExecution: {} },
			{ functionDeclarations: [] },
			{ googleSearchRetrieval: {} },
		];
		await generate('unary', { model: MODEL, contents: 'Hi', config: { tools: all, maxOutputTokens: 1 } });
		const sdkErrors = await Promise.all([
			apiErrorOf(generate('stream', { model: MODEL, contents: 'Hi', config: { tools: [{}] } })),
			apiErrorOf(generate('stream', { model: MODEL, contents: 'Hi', config: { temperature: 2.5 } })),
			apiErrorOf(generate('unary', { model: MODEL, contents: 'Hi', config: { maxOutputTokens: 0 } })),
		]);
		expect(sdkErrors.map((error) => error.status)).toEqual([400, 400, 400]);
		expect(sdkErrors.map((error) => googleErrorOf(error).message)).toEqual([
			expect.stringContaining('tools[0]: a tool must set exactly one of'),
			expect.stringContaining('temperature must be in the range'),
			expect.stringContaining('max_output_tokens must be positive'),
		]);
	});
});

describe('models.get and models.list', () => {
	const NOT_FOUND =
		'models/gemini-2.5-flahs is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.';

	async function listNames(ai: GoogleGenAI, pageSize?: number): Promise<string[]> {
		const pager = await ai.models.list(pageSize === undefined ? {} : { config: { pageSize } });
		const names: string[] = [];
		for await (const model of pager) names.push(model.name ?? '');
		return names;
	}

	it('gets a known model as Google returns it, with or without the models/ prefix', async () => {
		const model = await client().models.get({ model: MODEL });
		expect(model).toMatchObject({
			name: 'models/gemini-2.5-flash',
			displayName: 'Gemini 2.5 Flash',
			version: '001',
			inputTokenLimit: 1_048_576,
			outputTokenLimit: 65_536,
			thinking: true,
		});
		// The SDK renames supportedGenerationMethods to supportedActions.
		expect(model.supportedActions).toEqual([
			'generateContent',
			'countTokens',
			'createCachedContent',
			'batchGenerateContent',
		]);
		expect((await client().models.get({ model: `models/${IMAGE_MODEL}` })).name).toBe(`models/${IMAGE_MODEL}`);
		expect(fake.modelsRequests.map(({ method, path, kind, model: name }) => ({ method, path, kind, name }))).toEqual([
			{ method: 'GET', path: '/v1beta/models/gemini-2.5-flash', kind: 'get', name: MODEL },
			{ method: 'GET', path: '/v1beta/models/gemini-2.5-flash-image', kind: 'get', name: IMAGE_MODEL },
		]);
		expect(fake.modelsRequests[0]?.headers['x-goog-api-key']).toBe('test-key');
		expect(fake.requests).toEqual([]);
	});

	it('answers an unknown model with ApiError 404 and the real NOT_FOUND text', async () => {
		const error = await apiErrorOf(client().models.get({ model: 'gemini-2.5-flahs' }));
		expect(error.status).toBe(404);
		expect(googleErrorOf(error)).toEqual({ code: 404, message: NOT_FOUND, status: 'NOT_FOUND' });
	});

	it('knows every model the tests configure by default, and exactly the ones setModels names', async () => {
		expect(await listNames(client())).toEqual([
			'models/gemini-2.5-flash',
			'models/gemini-2.5-pro',
			'models/gemini-2.5-flash-lite',
			'models/gemini-2.5-flash-image',
			'models/gemini-2.0-flash',
			'models/gemini-embedding-001',
		]);
		fake.setModels(['gemini-3-pro-preview', { name: 'models/custom', supportedGenerationMethods: ['embedContent'] }]);
		expect(await listNames(client())).toEqual(['models/gemini-3-pro-preview', 'models/custom']);
		expect((await client().models.get({ model: 'custom' })).supportedActions).toEqual(['embedContent']);
		expect((await apiErrorOf(client().models.get({ model: MODEL }))).status).toBe(404);
		fake.reset();
		expect((await client().models.get({ model: MODEL })).name).toBe(`models/${MODEL}`);
	});

	it('pages for real: pageSize and pageToken go in the query, and the pager follows nextPageToken', async () => {
		fake.setModels(['m-1', 'm-2', 'm-3', 'm-4', 'm-5']);
		expect(await listNames(client(), 2)).toEqual([
			'models/m-1',
			'models/m-2',
			'models/m-3',
			'models/m-4',
			'models/m-5',
		]);
		const queries = fake.modelsRequests.map((request) => request.query);
		expect(queries).toHaveLength(3);
		expect(queries[0]).toEqual({ pageSize: '2' });
		expect(queries[1]).toEqual({ pageSize: '2', pageToken: expect.any(String) as string });
		expect(fake.modelsRequests.every((request) => request.kind === 'list' && request.path === '/v1beta/models')).toBe(
			true,
		);

		const pager = await client().models.list({ config: { pageSize: 4 } });
		expect(pager.page).toHaveLength(4);
		expect(pager.hasNextPage()).toBe(true);
		expect(await pager.nextPage()).toHaveLength(1);
		expect(pager.hasNextPage()).toBe(false);
	});

	it('sends 50 models per page unless asked, at most 1,000, and rejects a made-up pageToken', async () => {
		fake.setModels(Array.from({ length: 1_001 }, (_, index) => `m-${index}`));
		expect((await client().models.list()).page).toHaveLength(50);
		expect((await client().models.list({ config: { pageSize: 5_000 } })).page).toHaveLength(1_000);
		expect(await listNames(client(), 1_000)).toHaveLength(1_001);

		const bad = await fetch(`${fake.url}/v1beta/models?pageToken=nonsense`, {
			headers: { 'x-goog-api-key': 'test-key' },
		});
		expect(bad.status).toBe(400);
		expect(((await bad.json()) as { error: GoogleErrorBody }).error.status).toBe('INVALID_ARGUMENT');
	});

	it('checks the API key as the other routes do', async () => {
		const wrong = await apiErrorOf(client('wrong-key').models.get({ model: MODEL }));
		expect(wrong.status).toBe(400);
		expect(detailOf(googleErrorOf(wrong), 'ErrorInfo')).toMatchObject({ reason: 'API_KEY_INVALID' });
		expect((await apiErrorOf(listNames(client('wrong-key')))).status).toBe(400);
		const missing = await fetch(`${fake.url}/v1beta/models`);
		expect(missing.status).toBe(403);
		expect(fake.modelsRequests).toHaveLength(3);
	});

	it('fails like an outage: 503 UNAVAILABLE, a dropped connection, or no answer until the client aborts', async () => {
		fake.setModelsUnavailable(true);
		const unavailable = await apiErrorOf(client().models.get({ model: MODEL }));
		expect(unavailable.status).toBe(503);
		expect(googleErrorOf(unavailable).status).toBe('UNAVAILABLE');
		expect((await apiErrorOf(listNames(client()))).status).toBe(503);

		fake.setModelsUnavailable('drop');
		const dropped = await errorOf(client().models.get({ model: MODEL }));
		expect(dropped).toBeInstanceOf(TypeError);
		expect((dropped as TypeError).message).toBe('fetch failed');

		fake.setModelsUnavailable('hang');
		const startedAt = Date.now();
		const hung = await errorOf(
			client().models.get({ model: MODEL, config: { abortSignal: AbortSignal.timeout(100) } }),
		);
		expect(hung).toMatchObject({ name: 'AbortError' });
		expect(Date.now() - startedAt).toBeLessThan(1_000);

		fake.setModelsUnavailable(false);
		expect((await client().models.get({ model: MODEL })).name).toBe(`models/${MODEL}`);
	});

	it('leaves POST to the models collection a 404, and generation open to any model name', async () => {
		fake.setModels([]);
		const response = await client().models.generateContent({ model: 'gemini-test', contents: 'Hi' });
		expect(response.text).toBe('Echo: Hi');
		const posted = await post('/v1beta/models', {}, { 'x-goog-api-key': 'test-key' });
		expect(posted.status).toBe(404);
		expect(fake.modelsRequests).toEqual([]);
	});
});

describe('close()', () => {
	it('resolves promptly while a stream hangs', async () => {
		const own = await startFakeGemini({ defaultChunkDelayMs: 1 });
		own.enqueue({ kind: 'hang-after', chunks: ['stuck'] });
		const stream = await client(own.apiKey, own.url).models.generateContentStream({ model: MODEL, contents: 'Hi' });
		const consumed = errorOf(collect(stream));
		await vi.waitFor(() => {
			expect(own.stats.openStreams).toBe(1);
		});

		const startedAt = Date.now();
		await own.close();
		expect(Date.now() - startedAt).toBeLessThan(1_000);
		expect(await consumed).toBeInstanceOf(TypeError);
		expect(own.stats.clientAborts).toBe(0);
	});
});

describe('fake metadata server', () => {
	const FLAVOR = { 'metadata-flavor': 'Google' };

	it('answers the project id and a token only with Metadata-Flavor: Google, and records every request', async () => {
		const metadata = await startFakeMetadata({ projectId: 'project-1', token: 'token-1' });
		const get = (path: string, headers: Record<string, string> = FLAVOR) =>
			fetch(`${metadata.url}/computeMetadata/v1/${path}`, { headers });
		try {
			expect((await get('project/project-id', {})).status).toBe(403);
			const project = await get('project/project-id');
			expect(project.headers.get('metadata-flavor')).toBe('Google');
			expect(await project.text()).toBe('project-1');
			const token = await get('instance/service-accounts/default/token?scopes=scope-a,scope-b');
			expect(await token.json()).toEqual({ access_token: 'token-1', expires_in: 3_599, token_type: 'Bearer' });
			const byEmail = await get(`instance/service-accounts/${metadata.serviceAccountEmail}/token`);
			expect(byEmail.status).toBe(200);
			expect(await (await get('instance/service-accounts/default/email')).text()).toBe(metadata.serviceAccountEmail);
			expect((await get('instance')).status).toBe(200);
			expect((await get('instance/attributes/unknown')).status).toBe(404);

			expect(metadata.requests.map(({ path, status }) => [path.replace('/computeMetadata/v1/', ''), status])).toEqual([
				['project/project-id', 403],
				['project/project-id', 200],
				['instance/service-accounts/default/token', 200],
				[`instance/service-accounts/${metadata.serviceAccountEmail}/token`, 200],
				['instance/service-accounts/default/email', 200],
				['instance', 200],
				['instance/attributes/unknown', 404],
			]);
			expect(metadata.tokenRequests).toHaveLength(2);
			expect(metadata.tokenRequests[0]?.query).toEqual({ scopes: 'scope-a,scope-b' });
			expect(metadata.env).toEqual({ GCE_METADATA_HOST: metadata.host, METADATA_SERVER_DETECTION: 'assume-present' });
			expect(metadata.url).toBe(`http://${metadata.host}`);
		} finally {
			await metadata.close();
		}
	});

	it('fails token requests as told until cleared; reset() restores the token; close() refuses', async () => {
		const metadata = await startFakeMetadata({ token: 'token-1' });
		const getToken = () =>
			fetch(`${metadata.url}/computeMetadata/v1/instance/service-accounts/default/token`, { headers: FLAVOR });

		metadata.failTokens(500);
		const failed = await getToken();
		expect(failed.status).toBe(500);
		expect(failed.headers.get('metadata-flavor')).toBe('Google');
		const project = await fetch(`${metadata.url}/computeMetadata/v1/project/project-id`, { headers: FLAVOR });
		expect(await project.text()).toBe('fake-project');
		metadata.failTokens('drop');
		expect(await errorOf(getToken())).toBeInstanceOf(TypeError);
		expect(() => {
			metadata.failTokens(200);
		}).toThrow(RangeError);

		metadata.failTokens(undefined);
		metadata.setToken('token-2');
		expect(await ((await getToken()).json() as Promise<{ access_token: string }>)).toMatchObject({
			access_token: 'token-2',
		});
		expect(metadata.tokenRequests.map((request) => request.status)).toEqual([500, 0, 200]);

		metadata.reset();
		expect(metadata.requests).toEqual([]);
		expect(metadata.token).toBe('token-1');
		await metadata.close();
		expect(await errorOf(getToken())).toBeInstanceOf(TypeError);
	});
});

describe('Vertex AI through the real SDK, with credentials from the fake metadata server', () => {
	const PROJECT = 'vertex-project';
	const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';
	// Anything here could make ADC pick other credentials, another project or another metadata host.
	const ISOLATED_ENV = [
		'GCE_METADATA_HOST',
		'GCE_METADATA_IP',
		'METADATA_SERVER_DETECTION',
		'GOOGLE_APPLICATION_CREDENTIALS',
		'CLOUDSDK_CONFIG',
		'GOOGLE_CLOUD_PROJECT',
		'GCLOUD_PROJECT',
		'gcloud_project',
		'google_cloud_project',
		'GOOGLE_CLOUD_QUOTA_PROJECT',
		'GOOGLE_CLOUD_LOCATION',
		'GOOGLE_API_KEY',
		'GEMINI_API_KEY',
		'GOOGLE_VERTEX_BASE_URL',
	] as const;
	const savedEnv = new Map<string, string | undefined>();
	let metadata: FakeMetadata;
	let emptyGcloudConfig: string;

	beforeAll(async () => {
		metadata = await startFakeMetadata({ projectId: 'metadata-project', token: 'metadata-token-1' });
		// An empty gcloud config directory: no user credentials (application_default_credentials.json) can win.
		emptyGcloudConfig = await mkdtemp(join(tmpdir(), 'gemthread-gcloud-'));
		for (const name of ISOLATED_ENV) {
			savedEnv.set(name, process.env[name]);
			Reflect.deleteProperty(process.env, name);
		}
		// GOOGLE_CLOUD_PROJECT spares each new client's first call a `gcloud config config-helper` run (~0.5 s) and
		// the project-id lookup; the first test unsets it to see that lookup.
		Object.assign(process.env, metadata.env, { CLOUDSDK_CONFIG: emptyGcloudConfig, GOOGLE_CLOUD_PROJECT: PROJECT });
	});

	beforeEach(() => {
		fake.setAccessToken(metadata.token);
	});

	afterEach(() => {
		metadata.reset();
	});

	afterAll(async () => {
		for (const [name, value] of savedEnv) {
			if (value === undefined) Reflect.deleteProperty(process.env, name);
			else process.env[name] = value;
		}
		await metadata.close();
		await rm(emptyGcloudConfig, { recursive: true, force: true });
	});

	/** Runs `call` with one environment variable changed (`undefined` unsets it), then restores the test's value. */
	async function withVariable<T>(name: string, value: string | undefined, call: () => Promise<T>): Promise<T> {
		const before = process.env[name];
		if (value === undefined) Reflect.deleteProperty(process.env, name);
		else process.env[name] = value;
		try {
			return await call();
		} finally {
			if (before === undefined) Reflect.deleteProperty(process.env, name);
			else process.env[name] = before;
		}
	}

	/** A new client has a new GoogleAuth, so it asks the metadata server again: tests do not share tokens. */
	function vertexClient(location: string, apiVersion?: string): GoogleGenAI {
		const version = apiVersion === undefined ? {} : { apiVersion };
		return new GoogleGenAI({
			vertexai: true,
			project: PROJECT,
			location,
			...version,
			httpOptions: { baseUrl: fake.url },
		});
	}

	function vertexPath(location: string, action: string, apiVersion = 'v1beta1'): string {
		return `/${apiVersion}/projects/${PROJECT}/locations/${location}/publishers/google/models/${MODEL}:${action}`;
	}

	it('streams, answers and counts on the Vertex path with the Bearer token from the metadata server', async () => {
		fake.enqueue({ kind: 'reply', chunks: ['Bon', 'jour'] }, { kind: 'reply', chunks: ['Hallo'] });
		const ai = vertexClient('europe-west4');
		const chunks = await withVariable('GOOGLE_CLOUD_PROJECT', undefined, async () =>
			collect(await ai.models.generateContentStream({ model: MODEL, contents: 'Hi' })),
		);
		const unary = await ai.models.generateContent({ model: MODEL, contents: 'Hi again' });
		const counted = await ai.models.countTokens({ model: MODEL, contents: 'Hi' });

		expect(chunks.map((chunk) => chunk.text)).toEqual(['Bon', 'jour']);
		expect(chunks[1]?.candidates?.[0]?.finishReason).toBe('STOP');
		expect(unary.text).toBe('Hallo');
		expect(counted.totalTokens).toBeGreaterThan(0);
		const actions = ['streamGenerateContent', 'generateContent', 'countTokens'] as const;
		expect(fake.requests.map((request) => request.action)).toEqual(actions);
		expect(
			fake.requests.map(({ path, query, apiVersion, model, vertex }) => ({ path, query, apiVersion, model, vertex })),
		).toEqual(
			actions.map((action) => ({
				path: vertexPath('europe-west4', action),
				query: action === 'streamGenerateContent' ? { alt: 'sse' } : {},
				apiVersion: 'v1beta1',
				model: MODEL,
				vertex: { project: PROJECT, location: 'europe-west4' },
			})),
		);
		expect(fake.requests[1]?.contents).toEqual([{ role: 'user', text: 'Hi again' }]);
		for (const request of fake.requests) {
			expect(request.headers.authorization).toBe('Bearer metadata-token-1');
			expect(request.headers['x-goog-api-key']).toBeUndefined();
		}
		// ADC on a "GCE host": the project id once, then one cloud-platform token, reused while it is fresh.
		expect(metadata.requests.map((request) => request.path)).toEqual([
			'/computeMetadata/v1/project/project-id',
			'/computeMetadata/v1/instance/service-accounts/default/token',
		]);
		expect(metadata.requests.every((request) => request.headers['metadata-flavor'] === 'Google')).toBe(true);
		expect(metadata.tokenRequests[0]?.query).toEqual({ scopes: CLOUD_PLATFORM });
	});

	it('sends two clients with different locations and API versions to their own paths on the one fake', async () => {
		fake.respondWith((request) => ({ kind: 'reply', chunks: [`from ${request.vertex?.location ?? 'nowhere'}`] }));
		const [west, east] = await Promise.all([
			vertexClient('europe-west4').models.generateContent({ model: MODEL, contents: 'Hi' }),
			vertexClient('asia-northeast1', 'v1').models.generateContent({ model: MODEL, contents: 'Hi' }),
		]);

		expect([west.text, east.text]).toEqual(['from europe-west4', 'from asia-northeast1']);
		expect(fake.requests.map((request) => request.path).sort()).toEqual([
			vertexPath('asia-northeast1', 'generateContent', 'v1'),
			vertexPath('europe-west4', 'generateContent'),
		]);
		expect(metadata.tokenRequests).toHaveLength(2);
	});

	it("answers every generation request to a failed location with Vertex's 429 until cleared", async () => {
		fake.failLocation('europe-west4', { kind: 'resource-exhausted' });
		fake.enqueue({ kind: 'reply', chunks: ['from the FIFO'] });
		const west = vertexClient('europe-west4');
		const central = vertexClient('us-central1');

		const streamed = await apiErrorOf(west.models.generateContentStream({ model: MODEL, contents: 'Hi' }));
		const unary = await apiErrorOf(west.models.generateContent({ model: MODEL, contents: 'Hi' }));
		const elsewhere = await central.models.generateContent({ model: MODEL, contents: 'Hi' });
		fake.failLocation('europe-west4', undefined);
		const recovered = await west.models.generateContent({ model: MODEL, contents: 'Back?' });

		for (const error of [streamed, unary]) {
			expect(error.status).toBe(429);
			// No details at all: no QuotaFailure, no Help, no RetryInfo.
			expect(googleErrorOf(error)).toEqual({
				code: 429,
				status: 'RESOURCE_EXHAUSTED',
				message:
					'Resource exhausted. Please try again later. Please refer to https://cloud.google.com/vertex-ai/generative-ai/docs/error-code-429 for more details.',
			});
		}
		expect(elsewhere.text).toBe('from the FIFO');
		expect(recovered.text).toBe('Echo: Back?');
		const locations = fake.requests.map((request) => request.vertex?.location);
		expect(locations).toEqual(['europe-west4', 'europe-west4', 'us-central1', 'europe-west4']);
		expect(fake.stats.served429).toBe(2);
	});

	it("keeps other scripted statuses on Vertex, and answers a scripted 429 in Vertex's shape", async () => {
		fake.failLocation('us-central1', { kind: 'http-error', status: 503 });
		const ai = vertexClient('us-central1');
		const unavailable = await apiErrorOf(ai.models.generateContent({ model: MODEL, contents: 'Hi' }));
		fake.failLocation('us-central1', undefined);
		fake.enqueue({ kind: 'http-error', status: 429, retryDelay: '2s' }, { kind: 'per-day-429' });
		const scripted = googleErrorOf(await apiErrorOf(ai.models.generateContent({ model: MODEL, contents: 'Hi' })));
		const perDay = googleErrorOf(await apiErrorOf(ai.models.generateContentStream({ model: MODEL, contents: 'Hi' })));

		expect(unavailable.status).toBe(503);
		expect(googleErrorOf(unavailable).status).toBe('UNAVAILABLE');
		expect(scripted).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
		expect(scripted.message).toMatch(/^Resource exhausted\. Please try again later\./);
		expect(scripted.details).toEqual([{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '2s' }]);
		expect(perDay.status).toBe('RESOURCE_EXHAUSTED');
		expect(perDay.details).toBeUndefined();
	});

	it('rate limits each location and model on its own, with a quota 429 that has no RetryInfo', async () => {
		fake.setRequestsPerMinute(1);
		const west = vertexClient('europe-west4');
		const central = vertexClient('us-central1');
		await west.models.generateContent({ model: MODEL, contents: 'Hi' });
		const limited = await apiErrorOf(west.models.generateContent({ model: MODEL, contents: 'Hi' }));
		const elsewhere = await central.models.generateContent({ model: MODEL, contents: 'Hi' });

		expect(limited.status).toBe(429);
		const error = googleErrorOf(limited);
		expect(error.status).toBe('RESOURCE_EXHAUSTED');
		expect(error.message).toContain(`per_project_per_base_model with base model: ${MODEL}`);
		expect(error.details).toBeUndefined();
		expect(elsewhere.text).toBe('Echo: Hi');
	});

	it('answers a wrong token, no token and an API key with 401 UNAUTHENTICATED; Developer routes keep the key', async () => {
		fake.setAccessToken('another-token');
		const wrong = await apiErrorOf(
			vertexClient('europe-west4').models.generateContent({ model: MODEL, contents: 'Hi' }),
		);
		const body = { contents: [{ parts: [{ text: 'Hi' }] }] };
		const path = vertexPath('us-central1', 'generateContent');
		const missing = await post(path, body);
		const keyed = await post(path, body, { 'x-goog-api-key': fake.apiKey });
		const developer = await post(`/v1beta/models/${MODEL}:generateContent`, body, {
			authorization: 'Bearer another-token',
		});

		expect(wrong.status).toBe(401);
		const invalid = googleErrorOf(wrong);
		expect(invalid).toMatchObject({ code: 401, status: 'UNAUTHENTICATED' });
		expect(invalid.message).toMatch(/^Request had invalid authentication credentials\. Expected OAuth 2 access token/);
		expect(detailOf(invalid, 'ErrorInfo')).toMatchObject({
			reason: 'ACCESS_TOKEN_TYPE_UNSUPPORTED',
			metadata: {
				service: 'aiplatform.googleapis.com',
				method: 'google.cloud.aiplatform.v1beta1.PredictionService.GenerateContent',
			},
		});
		expect(missing.status).toBe(401);
		const missingError = ((await missing.json()) as { error: GoogleErrorBody }).error;
		expect(missingError.message).toMatch(/^Request is missing required authentication credential\./);
		expect(detailOf(missingError, 'ErrorInfo')).toMatchObject({ reason: 'CREDENTIALS_MISSING' });
		expect(keyed.status).toBe(401);
		const keyedError = ((await keyed.json()) as { error: GoogleErrorBody }).error;
		expect(keyedError.message).toMatch(/^API keys are not supported by this API\./);
		expect(developer.status).toBe(403);
		expect(fake.requests.map((request) => request.vertex?.location)).toEqual([
			'europe-west4',
			'us-central1',
			'us-central1',
			undefined,
		]);
	});

	it('surfaces a refused metadata token as a plain Error before any Vertex call, and asks again next time', async () => {
		const ai = vertexClient('europe-west4');
		metadata.failTokens(404);
		const notFound = await errorOf(ai.models.generateContent({ model: MODEL, contents: 'Hi' }));
		metadata.failTokens(403);
		const forbidden = await errorOf(ai.models.generateContent({ model: MODEL, contents: 'Hi' }));
		expect(fake.requests).toEqual([]);
		metadata.failTokens(undefined);
		const answer = await ai.models.generateContent({ model: MODEL, contents: 'Hi' });

		// google-auth-library's GaxiosError: not an ApiError, `status` is the metadata server's, not Vertex's.
		expect(notFound).not.toBeInstanceOf(ApiError);
		expect(notFound).toBeInstanceOf(Error);
		expect(notFound).toMatchObject({ status: 404 });
		expect((notFound as Error).message).toMatch(
			/^Could not refresh access token: A Not Found error was returned while attempting to retrieve an access ?token for the Compute Engine built-in service account/,
		);
		expect(forbidden).not.toBeInstanceOf(ApiError);
		expect((forbidden as Error).message).toMatch(/^Could not refresh access token: A Forbidden error/);
		expect(answer.text).toBe('Echo: Hi');
		expect(metadata.tokenRequests.map((request) => request.status)).toEqual([404, 403, 200]);
	});

	it('fails with "Could not load the default credentials" when ADC finds nothing at all', async () => {
		// `none`: no metadata server is assumed, as on a laptop without `gcloud auth application-default login`.
		const error = await withVariable('METADATA_SERVER_DETECTION', 'none', () =>
			errorOf(vertexClient('europe-west4').models.generateContent({ model: MODEL, contents: 'Hi' })),
		);

		expect(error).not.toBeInstanceOf(ApiError);
		expect((error as Error).message).toMatch(
			/^Could not load the default credentials\. Browse to https:\/\/cloud\.google\.com\/docs\/authentication/,
		);
		expect(metadata.requests).toEqual([]);
		expect(fake.requests).toEqual([]);
	});

	it('caches the token per client: a rotated token reaches new clients, an old client keeps its own and gets 401', async () => {
		const early = vertexClient('europe-west4');
		await early.models.generateContent({ model: MODEL, contents: 'Hi' });
		metadata.setToken('metadata-token-2');
		fake.setAccessToken('metadata-token-2');
		const late = vertexClient('europe-west4');
		const fresh = await late.models.generateContent({ model: MODEL, contents: 'Hi' });
		const stale = await apiErrorOf(early.models.generateContent({ model: MODEL, contents: 'Hi' }));

		expect(fresh.text).toBe('Echo: Hi');
		// The SDK neither refreshes nor retries on a 401: the cached token lives until about 5 minutes before expiry.
		expect(stale.status).toBe(401);
		expect(fake.requests.map((request) => request.headers.authorization)).toEqual([
			'Bearer metadata-token-1',
			'Bearer metadata-token-2',
			'Bearer metadata-token-1',
		]);
		expect(metadata.tokenRequests).toHaveLength(2);
	});

	it('gets and lists publisher models without project or location, and checks the token there too', async () => {
		fake.setModels([MODEL, 'gemini-2.5-pro', 'gemini-3-pro-preview']);
		const ai = vertexClient('europe-west4');
		const model = await ai.models.get({ model: MODEL });
		const missing = await apiErrorOf(ai.models.get({ model: 'gemini-9-ultra' }));
		const names: string[] = [];
		for await (const listed of await ai.models.list({ config: { pageSize: 2 } })) names.push(listed.name ?? '');
		const unknownModel = await apiErrorOf(ai.models.generateContent({ model: 'nonexistent-model', contents: 'Hi' }));
		fake.setAccessToken('another-token');
		const rejected = await apiErrorOf(ai.models.get({ model: MODEL }));

		// A PublisherModel has no display name, token limits or methods: the SDK's Model keeps name and version only.
		expect(model).toEqual({ name: `publishers/google/models/${MODEL}`, version: 'default', tunedModelInfo: {} });
		expect(missing.status).toBe(404);
		expect(googleErrorOf(missing)).toEqual({
			code: 404,
			status: 'NOT_FOUND',
			message: 'Publisher Model `publishers/google/models/gemini-9-ultra` not found.',
		});
		expect(names).toEqual(
			[MODEL, 'gemini-2.5-pro', 'gemini-3-pro-preview'].map((name) => `publishers/google/models/${name}`),
		);
		expect(googleErrorOf(unknownModel).message).toMatch(
			new RegExp(
				`^Publisher Model \`projects/${PROJECT}/locations/europe-west4/publishers/google/models/nonexistent-model\` was not found or your project does not have access to it\\.`,
			),
		);
		expect(rejected.status).toBe(401);
		const models = fake.modelsRequests.map(({ path, kind, model: name, vertex, query }) => ({
			path,
			kind,
			name,
			vertex,
			query,
		}));
		const pageToken = models[3]?.query.pageToken;
		expect(models).toEqual([
			{ path: `/v1beta1/publishers/google/models/${MODEL}`, kind: 'get', name: MODEL, vertex: true, query: {} },
			{
				path: '/v1beta1/publishers/google/models/gemini-9-ultra',
				kind: 'get',
				name: 'gemini-9-ultra',
				vertex: true,
				query: {},
			},
			{
				path: '/v1beta1/publishers/google/models',
				kind: 'list',
				name: undefined,
				vertex: true,
				query: { pageSize: '2' },
			},
			{
				path: '/v1beta1/publishers/google/models',
				kind: 'list',
				name: undefined,
				vertex: true,
				query: { pageSize: '2', pageToken },
			},
			{ path: `/v1beta1/publishers/google/models/${MODEL}`, kind: 'get', name: MODEL, vertex: true, query: {} },
		]);
		expect(pageToken).toEqual(expect.any(String));
		expect(fake.modelsRequests[0]?.headers.authorization).toBe('Bearer metadata-token-1');
	});
});
