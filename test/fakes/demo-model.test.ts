import { performance } from 'node:perf_hooks';
import OpenAI, { APIError, NotFoundError } from 'openai';
import type { ChatCompletionChunk, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_MODEL, demoAnswer, demoChunks } from '../../src/emulator/demo-model/demo-answer.js';
import { startDemoModel, type DemoModel } from '../../src/emulator/demo-model/start-demo-model.js';

/** The model name the server knows: `DEMO_MODEL` without its endpoint. */
const MODEL_ID = DEMO_MODEL.slice(DEMO_MODEL.indexOf('/') + 1);

let demo: DemoModel;
let extraServers: DemoModel[] = [];
let rejections: unknown[] = [];
const recordRejection = (reason: unknown): void => {
	rejections.push(reason);
};

beforeEach(async () => {
	rejections = [];
	process.on('unhandledRejection', recordRejection);
	demo = await startDemoModel({ chunkDelayMs: 2 });
});

afterEach(async () => {
	await Promise.all([demo, ...extraServers].map((server) => server.close()));
	extraServers = [];
	process.off('unhandledRejection', recordRejection);
	expect(rejections).toEqual([]);
});

function client(target: DemoModel = demo): OpenAI {
	return new OpenAI({ baseURL: target.baseUrl, apiKey: 'unused', maxRetries: 0 });
}

const ask = (content: string): ChatCompletionMessageParam[] => [{ role: 'user', content }];

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
	const chunks: ChatCompletionChunk[] = [];
	for await (const chunk of stream) chunks.push(chunk);
	return chunks;
}

const contentOf = (chunks: readonly ChatCompletionChunk[]): string =>
	chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');

describe('demo model through the official openai client', () => {
	it('lists its model through client.models.list()', async () => {
		const ids: string[] = [];
		for await (const model of client().models.list()) ids.push(model.id);
		expect(MODEL_ID).toBe('canned-text');
		expect(ids).toEqual([MODEL_ID]);
	});

	it('streams the canned answer word by word, ends with finish_reason stop and reports usage', async () => {
		const question = 'How do threads work?';
		const stream = await client().chat.completions.create({
			model: MODEL_ID,
			messages: ask(question),
			stream: true,
			stream_options: { include_usage: true },
		});
		const chunks = await collect(stream);
		const answer = demoAnswer(question);

		expect(contentOf(chunks)).toBe(answer);
		expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
		const pieces = chunks
			.map((chunk) => chunk.choices[0]?.delta.content)
			.filter((content): content is string => typeof content === 'string' && content !== '');
		expect(pieces.length).toBeGreaterThan(20);
		for (const piece of pieces) expect(piece).toMatch(/^\S+\s*$/);

		const finishes = chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.finish_reason));
		expect(finishes.filter((reason) => reason !== null)).toEqual(['stop']);
		const last = chunks.at(-1);
		expect(last?.choices).toEqual([]);
		expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
		expect(last?.usage?.completion_tokens).toBe(demoChunks(answer).length);
		expect(last?.usage?.total_tokens).toBe((last?.usage?.prompt_tokens ?? 0) + demoChunks(answer).length);
	});

	it('quotes the last user message when its content is a list of text and image parts', async () => {
		const stream = await client().chat.completions.create({
			model: MODEL_ID,
			messages: [
				{ role: 'system', content: 'You are a test.' },
				{ role: 'user', content: 'An earlier question' },
				{ role: 'assistant', content: 'An earlier answer' },
				{
					role: 'user',
					content: [
						{ type: 'text', text: 'What is' },
						{ type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
						{ type: 'text', text: 'in this picture?' },
					],
				},
			],
			stream: true,
		});
		const text = contentOf(await collect(stream));

		expect(text).toBe(demoAnswer('What is in this picture?'));
		expect(text).not.toContain('An earlier question');
	});

	it('returns the whole answer in one chat.completion when not streamed', async () => {
		const completion = await client().chat.completions.create({
			model: MODEL_ID,
			messages: ask('Say something'),
			stream: false,
		});
		const answer = demoAnswer('Say something');

		expect(completion.object).toBe('chat.completion');
		expect(completion.choices).toHaveLength(1);
		expect(completion.choices[0]?.message).toMatchObject({ role: 'assistant', content: answer });
		expect(completion.choices[0]?.finish_reason).toBe('stop');
		expect(completion.usage?.completion_tokens).toBe(demoChunks(answer).length);
	});

	it('rejects an unknown model with a 404 NotFoundError (model_not_found) and records no answer', async () => {
		const error: unknown = await client()
			.chat.completions.create({ model: 'gpt-4o', messages: ask('Hi'), stream: true })
			.then(
				() => undefined,
				(reason: unknown) => reason,
			);

		expect(error).toBeInstanceOf(NotFoundError);
		expect(error).toBeInstanceOf(OpenAI.NotFoundError);
		expect(error).toBeInstanceOf(APIError);
		expect(error).toMatchObject({ status: 404, code: 'model_not_found' });
		expect(demo.answers).toEqual([]);
	});

	it('ends a stream aborted midway without an error and keeps serving the next request', async () => {
		const controller = new AbortController();
		const stream = await client().chat.completions.create(
			{ model: MODEL_ID, messages: ask('Stop me'), stream: true },
			{ signal: controller.signal },
		);
		const received: ChatCompletionChunk[] = [];
		for await (const chunk of stream) {
			received.push(chunk);
			if (received.length === 2) controller.abort();
		}

		// The SDK ends the iteration quietly on an abort (after any chunks it had already read): only the signal and
		// the missing end tell it from a finished stream.
		const answer = demoAnswer('Stop me');
		expect(controller.signal.aborted).toBe(true);
		expect(received.length).toBeGreaterThanOrEqual(2);
		expect(received.some((chunk) => chunk.choices[0]?.finish_reason === 'stop')).toBe(false);
		expect(contentOf(received).length).toBeLessThan(answer.length);
		expect(answer.startsWith(contentOf(received))).toBe(true);

		const next = await client().chat.completions.create({ model: MODEL_ID, messages: ask('Still there?') });
		expect(next.choices[0]?.message.content).toBe(demoAnswer('Still there?'));
	});

	it('records in answers each answer it started, in order, including an aborted one', async () => {
		await client().chat.completions.create({ model: MODEL_ID, messages: ask('first') });
		const controller = new AbortController();
		const stream = await client().chat.completions.create(
			{ model: MODEL_ID, messages: ask('second'), stream: true },
			{ signal: controller.signal },
		);
		for await (const chunk of stream) {
			if (chunk.choices[0]?.delta.content) controller.abort();
		}
		await collect(await client().chat.completions.create({ model: MODEL_ID, messages: ask('third'), stream: true }));

		expect(demo.answers).toEqual([demoAnswer('first'), demoAnswer('second'), demoAnswer('third')]);
	});

	it('spreads the streamed chunks over time instead of sending them in one piece', async () => {
		const slow = await startDemoModel({ chunkDelayMs: 20 });
		extraServers.push(slow);
		const controller = new AbortController();
		const stream = await client(slow).chat.completions.create(
			{ model: MODEL_ID, messages: ask('Take your time'), stream: true },
			{ signal: controller.signal },
		);
		const arrivals: number[] = [];
		for await (const chunk of stream) {
			if (!chunk.choices[0]?.delta.content) continue;
			arrivals.push(Math.floor(performance.now()));
			if (arrivals.length === 5) controller.abort();
		}

		expect(arrivals.length).toBeGreaterThanOrEqual(5);
		expect(new Set(arrivals).size).toBeGreaterThanOrEqual(3);
	});
});
