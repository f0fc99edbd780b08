import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { generateReply } from '../../src/chat/generate-reply.js';
import { ModelError } from '../../src/llm/model-error.js';
import { createModelQueue } from '../../src/llm/model-queue.js';
import { createFakeModel } from '../support/fake-model.js';
import type { FakeModelStep } from '../support/fake-model.js';
import { createFakeReplyTarget } from '../support/fake-reply-target.js';
import { silentLogger } from '../support/silent-logger.js';

const request = {
	model: 'gemini-test',
	systemInstruction: 'be nice',
	contents: [{ role: 'user' as const, text: 'Alice: hi' }],
};

function setup(scripts: FakeModelStep[][], overrides: { maxAttempts?: number; idleTimeoutMs?: number } = {}) {
	const { model, requests } = createFakeModel(scripts);
	const queue = createModelQueue({ concurrency: 2, requestsPerMinute: 100 });
	const pauseFor = vi.spyOn(queue, 'pauseFor');
	const fake = createFakeReplyTarget();
	const deps = {
		model,
		queue,
		logger: silentLogger,
		maxAttempts: overrides.maxAttempts ?? 4,
		idleTimeoutMs: overrides.idleTimeoutMs ?? 30_000,
		minEditIntervalMs: 1_000,
		random: () => 0,
	};
	return { deps, requests, fake, pauseFor };
}

/** Runs the reply to completion under fake timers. */
async function run<T>(promise: Promise<T>): Promise<T> {
	const state = { settled: false };
	void promise.finally(() => {
		state.settled = true;
	});
	for (let step = 0; step < 200 && !state.settled; step += 1) await vi.advanceTimersByTimeAsync(500);
	return promise;
}

beforeEach(() => {
	vi.useFakeTimers();
});
afterEach(() => {
	vi.useRealTimers();
});

describe('generateReply', () => {
	it('streams the answer and reports it complete with usage', async () => {
		const { deps, fake, requests } = setup([[{ text: 'Hello' }, { text: ', world' }, { finishReason: 'STOP' }]]);
		const outcome = await run(generateReply(deps, request, fake.target));
		expect(outcome).toMatchObject({
			text: 'Hello, world',
			status: 'complete',
			finishReason: 'STOP',
			usage: { totalTokens: 7 },
		});
		expect(fake.contents()).toEqual(['Hello, world']);
		expect(requests[0]).toMatchObject({
			model: 'gemini-test',
			systemInstruction: 'be nice',
			contents: request.contents,
		});
	});

	it('waits out a 429 by pausing the queue for its retry delay, then succeeds', async () => {
		const { deps, fake, requests, pauseFor } = setup([
			[{ error: new ModelError('rate-limited', '429', { retryDelayMs: 3_000 }) }],
			[{ text: 'finally' }, { finishReason: 'STOP' }],
		]);
		const outcome = await run(generateReply(deps, request, fake.target));
		expect(pauseFor).toHaveBeenCalledWith(3_000);
		expect(requests).toHaveLength(2);
		expect(outcome).toMatchObject({ text: 'finally', status: 'complete' });
		expect(fake.contents()).toEqual(['finally']);
		expect(fake.writes[0]?.state.content).toBe('⏳ Gemini is busy; trying again in 3 s…');
	});

	it('retries a 503 before the first chunk with backoff, without pausing the queue', async () => {
		const { deps, fake, requests, pauseFor } = setup([
			[{ error: new ModelError('unavailable', '503') }],
			[{ error: new ModelError('network', 'fetch failed') }],
			[{ text: 'ok' }, { finishReason: 'STOP' }],
		]);
		const outcome = await run(generateReply(deps, request, fake.target));
		expect(requests).toHaveLength(3);
		expect(pauseFor).not.toHaveBeenCalled();
		expect(outcome.status).toBe('complete');
	});

	it('does not retry a 400 and shows a short error', async () => {
		const { deps, fake, requests } = setup([[{ error: new ModelError('bad-request', '400') }]]);
		const outcome = await run(generateReply(deps, request, fake.target));
		expect(requests).toHaveLength(1);
		expect(outcome).toMatchObject({ status: 'error', errorCode: 'bad-request', text: '' });
		expect(fake.contents()).toEqual([
			'⚠️ Gemini could not process this request. Try rephrasing your message, or start a new thread.',
		]);
	});

	it('gives up after the last attempt with the rate-limit message', async () => {
		const limited = () => [{ error: new ModelError('rate-limited', '429', { retryDelayMs: 1_000 }) }];
		const { deps, fake, requests } = setup([limited(), limited()], { maxAttempts: 2 });
		const outcome = await run(generateReply(deps, request, fake.target));
		expect(requests).toHaveLength(2);
		expect(outcome.status).toBe('error');
		expect(fake.contents()[0]).toMatch(/too many requests/);
	});

	it('keeps the text of a stream that failed midway, with a note, and does not retry', async () => {
		const { deps, fake, requests } = setup([[{ text: 'Half of ' }, { error: new ModelError('unavailable', '503') }]]);
		const outcome = await run(generateReply(deps, request, fake.target));
		expect(requests).toHaveLength(1);
		expect(outcome).toMatchObject({ text: 'Half of ', status: 'partial', errorCode: 'unavailable' });
		expect(fake.contents()[0]).toMatch(/^Half of \n\n⚠️ This answer is incomplete/);
	});

	it('aborts a model that stops sending and reports a timeout', async () => {
		const { deps, fake } = setup([[{ text: 'thinking' }, { hang: true }]], { idleTimeoutMs: 5_000 });
		const outcome = await run(generateReply(deps, request, fake.target));
		expect(outcome).toMatchObject({ status: 'partial', errorCode: 'timeout', text: 'thinking' });
		expect(fake.contents()[0]).toContain('Gemini stopped sending');
	});

	it('stops when its signal aborts, keeping the text with the stop note', async () => {
		const { deps, fake } = setup([[{ text: 'partial' }, { hang: true }]]);
		const controller = new AbortController();
		const promise = generateReply(deps, request, fake.target, controller.signal);
		await vi.advanceTimersByTimeAsync(100);
		controller.abort(new ModelError('stopped', 'Stopped by Alice.'));
		const outcome = await run(promise);
		expect(outcome).toMatchObject({ status: 'partial', errorCode: 'stopped' });
		expect(fake.contents()).toEqual(['partial\n\n⚠️ Stopped by Alice.']);
	});

	it('says it is waiting for its turn when the queue holds it back, then that Gemini is writing', async () => {
		const { deps, fake } = setup([[{ text: 'Finally here.', delayMs: 3_000 }, { finishReason: 'STOP' }]]);
		const queue = createModelQueue({ concurrency: 1, requestsPerMinute: 100 });
		const blocker = queue.run(() => new Promise<void>((resolve) => setTimeout(resolve, 5_000)));
		const outcome = await run(generateReply({ ...deps, queue }, request, fake.target));
		await blocker;
		expect(fake.writes.map((write) => write.state.content)).toEqual([
			"⏳ Waiting for my turn to stay within Gemini's rate limit…",
			'✍️ Gemini is writing…',
			'Finally here.',
		]);
		expect(outcome.status).toBe('complete');
	});

	it('counts the requests ahead of it in the notice', async () => {
		const { deps, fake } = setup([[{ text: 'ok' }, { finishReason: 'STOP' }]]);
		const queue = createModelQueue({ concurrency: 1, requestsPerMinute: 100 });
		const slow = () => new Promise<void>((resolve) => setTimeout(resolve, 3_000));
		const ahead = [queue.run(slow), queue.run(slow), queue.run(slow)];
		const outcome = await run(generateReply({ ...deps, queue }, request, fake.target));
		await Promise.all(ahead);
		expect(fake.writes[0]?.state.content).toBe(
			"⏳ Waiting for my turn (2 requests ahead) to stay within Gemini's rate limit…",
		);
		expect(outcome.text).toBe('ok');
	});

	it('shows no notice when a slot is free', async () => {
		const { deps, fake } = setup([[{ text: 'quick', delayMs: 5_000 }, { finishReason: 'STOP' }]]);
		await run(generateReply(deps, request, fake.target));
		expect(fake.writes.map((write) => write.state.content)).toEqual(['quick']);
	});

	it('reports a blocked prompt as an error with its reason', async () => {
		const { deps, fake } = setup([[{ finishReason: undefined, blockReason: 'SAFETY' }]]);
		const outcome = await run(generateReply(deps, request, fake.target));
		expect(outcome).toMatchObject({ status: 'error', errorCode: 'blocked:SAFETY' });
		expect(fake.contents()[0]).toMatch(/declined to answer.*SAFETY/);
	});
});
