import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { generateReply } from '../../src/chat/generate-reply.js';
import type { GenerateCall } from '../../src/chat/generate-reply.js';
import { ReplyTargetGone } from '../../src/reply/reply-target.js';
import { ModelError } from '../../src/llm/model-error.js';
import { createFakeModel } from '../support/fake-model.js';
import type { FakeModelStep } from '../support/fake-model.js';
import { createFakeReplyTarget } from '../support/fake-reply-target.js';
import { roomyBudget, roomyQueue } from '../support/roomy-limits.js';
import { silentLogger } from '../support/silent-logger.js';

const contents = [{ role: 'user' as const, parts: [{ text: 'Alice: hi' }] }];
const call = (models: readonly string[] = ['gemini-test'], member = 'alice'): GenerateCall => ({
	models,
	member,
	build: () => Promise.resolve({ systemInstruction: 'be nice', contents }),
});
const request = call();

const queueOf = roomyQueue;

function setup(scripts: FakeModelStep[][], overrides: { maxAttempts?: number; idleTimeoutMs?: number } = {}) {
	const { model, requests } = createFakeModel(scripts);
	const startedAt: number[] = [];
	const timedModel = {
		stream: (modelRequest: Parameters<typeof model.stream>[0]) => {
			startedAt.push(Date.now());
			return model.stream(modelRequest);
		},
	};
	const queue = queueOf();
	const holdOff = vi.spyOn(queue, 'holdOff');
	const fake = createFakeReplyTarget();
	const deps = {
		model: timedModel,
		queue,
		budget: roomyBudget(),
		logger: silentLogger,
		maxAttempts: overrides.maxAttempts ?? 4,
		idleTimeoutMs: overrides.idleTimeoutMs ?? 30_000,
		minEditIntervalMs: 1_000,
		random: () => 0,
	};
	return { deps, requests, fake, holdOff, startedAt };
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
		expect(requests[0]).toMatchObject({ model: 'gemini-test', systemInstruction: 'be nice', contents });
	});

	it('waits out a 429 by holding the model off for its retry delay, then succeeds', async () => {
		const { deps, fake, requests, holdOff, startedAt } = setup([
			[{ error: new ModelError('rate-limited', '429', { retryDelayMs: 3_000 }) }],
			[{ text: 'finally' }, { finishReason: 'STOP' }],
		]);
		const outcome = await run(generateReply(deps, request, fake.target));
		expect(holdOff).toHaveBeenCalledWith('gemini-test', expect.any(Number), 'rate-limited');
		expect(startedAt[1]! - startedAt[0]!).toBeGreaterThanOrEqual(3_000);
		expect(requests).toHaveLength(2);
		expect(outcome).toMatchObject({ text: 'finally', status: 'complete' });
		expect(fake.contents()).toEqual(['finally']);
		expect(fake.writes[0]?.state.content).toBe('⏳ Gemini is busy; trying again in 3 s…');
	});

	it('retries a 503 before the first chunk with backoff, without holding the model off', async () => {
		const { deps, fake, requests, holdOff } = setup([
			[{ error: new ModelError('unavailable', '503') }],
			[{ error: new ModelError('network', 'fetch failed') }],
			[{ text: 'ok' }, { finishReason: 'STOP' }],
		]);
		const outcome = await run(generateReply(deps, request, fake.target));
		expect(requests).toHaveLength(3);
		expect(holdOff).not.toHaveBeenCalled();
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
		const queue = queueOf(1);
		const blocker = queue.run(
			{ member: 'bob', models: ['gemini-test'], estimatedTokens: 1 },
			() => new Promise<void>((resolve) => setTimeout(resolve, 5_000)),
		);
		const outcome = await run(generateReply({ ...deps, queue }, request, fake.target));
		await blocker.result;
		expect(fake.writes.map((write) => write.state.content)).toEqual([
			"⏳ Waiting for my turn to stay within Gemini's rate limit…",
			'✍️ Gemini is writing…',
			'Finally here.',
		]);
		expect(outcome.status).toBe('complete');
	});

	it('counts the requests ahead of it in the notice', async () => {
		const { deps, fake } = setup([[{ text: 'ok' }, { finishReason: 'STOP' }]]);
		const queue = queueOf(1);
		const slow = () => new Promise<void>((resolve) => setTimeout(resolve, 3_000));
		const ahead = ['bob', 'carol', 'dave'].map(
			(member) => queue.run({ member, models: ['gemini-test'], estimatedTokens: 1 }, slow).result,
		);
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

	it('moves a call that got a 429 to the next model at once, and says which model answered', async () => {
		const { deps, fake, requests, startedAt } = setup([
			[{ error: new ModelError('rate-limited', '429', { retryDelayMs: 30_000 }) }],
			[{ text: 'From the fallback.' }, { finishReason: 'STOP' }],
		]);
		const outcome = await run(generateReply(deps, call(['pro', 'flash']), fake.target));
		expect(requests.map((sent) => sent.model)).toEqual(['pro', 'flash']);
		expect(startedAt[1]! - startedAt[0]!).toBeLessThan(1_000);
		expect(outcome).toMatchObject({ status: 'complete', model: 'flash', text: 'From the fallback.' });
		expect(fake.contents()).toEqual(['From the fallback.\n-# Answered by flash: pro is rate-limited right now.']);
	});

	it('moves to the next model after a daily-quota 429 too, and later calls skip the exhausted model', async () => {
		const { deps, fake, requests } = setup([
			[{ error: new ModelError('quota-exhausted', '429 per day') }],
			[{ text: 'one' }, { finishReason: 'STOP' }],
			[{ text: 'two' }, { finishReason: 'STOP' }],
		]);
		await run(generateReply(deps, call(['pro', 'flash']), fake.target));
		const second = createFakeReplyTarget();
		await run(generateReply(deps, call(['pro', 'flash']), second.target));
		expect(requests.map((sent) => sent.model)).toEqual(['pro', 'flash', 'flash']);
		expect(second.contents()).toEqual(['two\n-# Answered by flash: pro has used up its quota for today.']);
	});

	it('says when the daily quota resets when no fallback is left, without retrying', async () => {
		const { deps, fake, requests } = setup([[{ error: new ModelError('quota-exhausted', '429 per day') }]]);
		const outcome = await run(generateReply(deps, request, fake.target));
		expect(requests).toHaveLength(1);
		expect(outcome).toMatchObject({ status: 'error', errorCode: 'quota-exhausted' });
		expect(fake.contents()[0]).toMatch(/quota for today\. It resets at midnight Pacific time \(<t:\d+:t>, <t:\d+:R>\)/);
	});

	it('withdraws a reply still waiting in the queue: the status line goes and nothing is answered', async () => {
		const { deps, fake, requests } = setup([]);
		const queue = queueOf(1);
		const blocker = queue.run(
			{ member: 'bob', models: ['gemini-test'], estimatedTokens: 1 },
			() => new Promise<void>((resolve) => setTimeout(resolve, 10_000)),
		);
		const controller = new AbortController();
		const promise = generateReply({ ...deps, queue }, request, fake.target, controller.signal);
		await vi.advanceTimersByTimeAsync(3_000);
		expect(fake.contents()).toEqual(["⏳ Waiting for my turn to stay within Gemini's rate limit…"]);
		controller.abort(new ModelError('withdrawn', 'The question was deleted.'));
		const outcome = await run(promise);
		await run(blocker.result);
		expect(outcome).toMatchObject({ withdrawn: true, messageIds: [] });
		expect(fake.contents()).toEqual(['']);
		expect(requests).toHaveLength(0);
	});

	it('stops the model call and writes nothing more once the thread turns out to be gone', async () => {
		const { deps, fake, requests } = setup([[{ text: 'first ' }, { text: 'second', delayMs: 1_500 }, { hang: true }]]);
		const gone = vi.fn();
		const edit = fake.target.send.bind(fake.target);
		fake.target.send = async (state) => {
			const message = await edit(state);
			return { ...message, edit: () => Promise.reject(new ReplyTargetGone('deleted')) };
		};
		const outcome = await run(generateReply(deps, request, fake.target, undefined, { onGone: gone }));
		expect(gone).toHaveBeenCalledWith('deleted');
		expect(requests[0]!.signal.aborted).toBe(true);
		expect(outcome).toMatchObject({ status: 'partial', errorCode: 'thread-deleted', text: 'first second' });
		expect(fake.writes.map((write) => write.kind)).toEqual(['send']);
	});

	it('keeps the waiting position current as the queue moves, at most every 5 s', async () => {
		const { deps, fake } = setup([[{ text: 'ok' }, { finishReason: 'STOP' }]]);
		const queue = queueOf(1);
		const slow = () => new Promise<void>((resolve) => setTimeout(resolve, 4_000));
		const ahead = ['bob', 'carol', 'dave'].map(
			(member) => queue.run({ member, models: ['gemini-test'], estimatedTokens: 1 }, slow).result,
		);
		const outcome = await run(generateReply({ ...deps, queue }, request, fake.target));
		await Promise.all(ahead);
		const lines = fake.writes.map((write) => write.state.content);
		expect(lines).toEqual([
			"⏳ Waiting for my turn (2 requests ahead) to stay within Gemini's rate limit…",
			"⏳ Waiting for my turn (1 request ahead) to stay within Gemini's rate limit…",
			'ok',
		]);
		const statusTimes = fake.writes.map((write) => write.at);
		expect(statusTimes[1]! - statusTimes[0]!).toBeGreaterThanOrEqual(5_000);
		expect(outcome.text).toBe('ok');
	});
});
