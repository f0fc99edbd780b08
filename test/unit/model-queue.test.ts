import { describe, expect, it, vi } from 'vitest';
import { ModelError } from '../../src/llm/model-error.js';
import { createModelGate, RATE_WINDOW_MS } from '../../src/llm/model-gate.js';
import type { QueuedCall } from '../../src/llm/model-queue.js';
import { createModelQueue } from '../../src/llm/model-queue.js';
import { useFakeClock } from '../support/use-fake-clock.js';

const clock = useFakeClock();
const elapsed = clock.elapsed;

type Options = { concurrency?: number; requestsPerMinute?: number; tokensPerMinute?: number };

const queueWith = ({ concurrency = 1, requestsPerMinute = 100, tokensPerMinute }: Options = {}) =>
	createModelQueue({
		concurrency,
		gate: createModelGate({ requestsPerMinute, tokensPerMinute }, () => Date.now()),
	});

const call = (member: string | undefined, extra: Partial<QueuedCall> = {}): QueuedCall => ({
	member,
	models: ['a'],
	estimatedTokens: 0,
	...extra,
});

/** A task that runs until the test lets it finish. */
function gated() {
	const starts: { model: string; at: number }[] = [];
	let open: (() => void)[] = [];
	const task = (model: string): Promise<string> => {
		starts.push({ model, at: elapsed() });
		return new Promise((resolve) => {
			open.push(() => {
				resolve(model);
			});
		});
	};
	const finishAll = (): void => {
		const finishing = open;
		open = [];
		for (const finish of finishing) finish();
	};
	return { task, starts, finishAll, running: () => open.length };
}

/** A task that records its name when it starts and ends at once. */
const recordInto = (order: string[], name: string) => (): Promise<string> => {
	order.push(name);
	return Promise.resolve(name);
};

describe('createModelQueue', () => {
	it('runs at most `concurrency` tasks at once, each for its whole duration', async () => {
		const queue = queueWith({ concurrency: 2 });
		let running = 0;
		let maxRunning = 0;
		const ends: number[] = [];
		const task = async (): Promise<void> => {
			running += 1;
			maxRunning = Math.max(maxRunning, running);
			await new Promise((resolve) => setTimeout(resolve, 1_000));
			running -= 1;
			ends.push(elapsed());
		};
		const results = Array.from({ length: 6 }, (_, index) => queue.run(call(`m${index}`), task).result);
		await vi.advanceTimersByTimeAsync(0);
		expect(running).toBe(2);
		expect(queue.waiting).toBe(4);
		await vi.advanceTimersByTimeAsync(3_000);
		await Promise.all(results);
		expect(maxRunning).toBe(2);
		expect(ends).toEqual([1_000, 1_000, 2_000, 2_000, 3_000, 3_000]);
	});

	it("shares the model fairly when a member floods: with concurrency 1, Bob's one call runs right after Alice's first", async () => {
		const queue = queueWith({ concurrency: 1 });
		const order: string[] = [];
		const results = [1, 2, 3, 4, 5].map(
			(index) => queue.run(call('alice'), recordInto(order, `alice-${index}`)).result,
		);
		results.push(queue.run(call('bob'), recordInto(order, 'bob-1')).result);
		await Promise.all(results);
		// alice-1 took the free slot at once; Alice has had her turn, so Bob's goes next.
		expect(order).toEqual(['alice-1', 'bob-1', 'alice-2', 'alice-3', 'alice-4', 'alice-5']);
	});

	it('runs a higher-priority call (a retry) before calls that waited longer', async () => {
		const queue = queueWith({ concurrency: 1 });
		const blocker = gated();
		const order: string[] = [];
		const first = queue.run(call('a'), blocker.task);
		const normal = queue.run(call('b'), recordInto(order, 'normal'));
		const retry = queue.run(call('c', { priority: 1 }), recordInto(order, 'retry'));
		await vi.advanceTimersByTimeAsync(0);
		blocker.finishAll();
		await Promise.all([first.result, normal.result, retry.result]);
		expect(order).toEqual(['retry', 'normal']);
	});

	it('stateOf reports the turn with how many calls go first, then running, then nothing once the call settled', async () => {
		const queue = queueWith({ concurrency: 1 });
		const tasks = gated();
		const blocker = queue.run(call('zoe'), tasks.task);
		const alice1 = queue.run(call('alice'), tasks.task);
		const alice2 = queue.run(call('alice'), tasks.task);
		const bob = queue.run(call('bob'), tasks.task);
		await vi.advanceTimersByTimeAsync(0);
		expect(queue.stateOf(blocker.ticket)).toEqual({ kind: 'running' });
		expect(queue.stateOf(alice1.ticket)).toEqual({ kind: 'turn', ahead: 0 });
		expect(queue.stateOf(bob.ticket)).toEqual({ kind: 'turn', ahead: 1 });
		expect(queue.stateOf(alice2.ticket)).toEqual({ kind: 'turn', ahead: 2 });

		tasks.finishAll();
		await blocker.result;
		await vi.advanceTimersByTimeAsync(0);
		expect(queue.stateOf(blocker.ticket)).toBeUndefined();
		expect(queue.stateOf(alice1.ticket)).toEqual({ kind: 'running' });
		expect(queue.stateOf(bob.ticket)).toEqual({ kind: 'turn', ahead: 0 });
		expect(queue.stateOf(alice2.ticket)).toEqual({ kind: 'turn', ahead: 1 });

		tasks.finishAll();
		await alice1.result;
		expect(queue.stateOf(alice1.ticket)).toBeUndefined();
		for (const rest of [bob, alice2]) {
			await vi.advanceTimersByTimeAsync(0);
			tasks.finishAll();
			await rest.result;
		}
		expect(queue.stateOf(bob.ticket)).toBeUndefined();
		expect(queue.stateOf(alice2.ticket)).toBeUndefined();
		expect(queue.stateOf('call-unknown')).toBeUndefined();
	});

	it('an aborted waiting call rejects with the signal reason, never runs, and leaves the line', async () => {
		const queue = queueWith({ concurrency: 1 });
		const blocker = gated();
		const first = queue.run(call('a'), blocker.task);
		const controller = new AbortController();
		let ran = false;
		const aborted = queue.run(call('b', { signal: controller.signal }), () => {
			ran = true;
			return Promise.resolve('ran');
		});
		const after = queue.run(call('c'), () => Promise.resolve('after'));
		await vi.advanceTimersByTimeAsync(0);
		expect(queue.stateOf(after.ticket)).toEqual({ kind: 'turn', ahead: 1 });
		const reason = new Error('member pressed stop');
		controller.abort(reason);
		await expect(aborted.result).rejects.toBe(reason);
		expect(queue.waitingOf('b')).toBe(0);
		expect(queue.waiting).toBe(1);
		expect(queue.stateOf(aborted.ticket)).toBeUndefined();
		expect(queue.stateOf(after.ticket)).toEqual({ kind: 'turn', ahead: 0 });
		blocker.finishAll();
		await expect(after.result).resolves.toBe('after');
		await first.result;
		expect(ran).toBe(false);
	});

	it('a call whose signal aborts while it waits for a rate window rejects with the reason and never runs', async () => {
		const queue = queueWith({ concurrency: 2, requestsPerMinute: 1 });
		const tasks = gated();
		const first = queue.run(call('a'), tasks.task);
		const controller = new AbortController();
		const waiting = queue.run(call('b', { signal: controller.signal }), tasks.task);
		await vi.advanceTimersByTimeAsync(1_000);
		expect(queue.stateOf(waiting.ticket)).toEqual({ kind: 'rate-window', readyAt: clock.start + RATE_WINDOW_MS });
		const reason = new Error('stopped');
		controller.abort(reason);
		await expect(waiting.result).rejects.toBe(reason);
		await vi.advanceTimersByTimeAsync(RATE_WINDOW_MS);
		expect(tasks.starts).toHaveLength(1);
		tasks.finishAll();
		await first.result;
	});

	it('waitingOf counts only the calls of that member that have not started', async () => {
		const queue = queueWith({ concurrency: 1 });
		const tasks = gated();
		const results = [
			queue.run(call('alice'), tasks.task),
			queue.run(call('alice'), tasks.task),
			queue.run(call('alice'), tasks.task),
			queue.run(call('bob'), tasks.task),
		].map((queued) => queued.result);
		await vi.advanceTimersByTimeAsync(0);
		expect(queue.waitingOf('alice')).toBe(2);
		expect(queue.waitingOf('bob')).toBe(1);
		expect(queue.waitingOf('carol')).toBe(0);
		const afterEachFinish: [number, number][] = [];
		for (let index = 0; index < 3; index += 1) {
			tasks.finishAll();
			await vi.advanceTimersByTimeAsync(0);
			afterEachFinish.push([queue.waitingOf('alice'), queue.waitingOf('bob')]);
		}
		// Bob's call starts first (Alice had her turn), then alice-2, then alice-3.
		expect(afterEachFinish).toEqual([
			[2, 0],
			[1, 0],
			[0, 0],
		]);
		expect(tasks.starts).toHaveLength(4);
		tasks.finishAll();
		await Promise.all(results);
	});

	it('starts at most requestsPerMinute calls per model in any RATE_WINDOW_MS', async () => {
		const queue = queueWith({ concurrency: 10, requestsPerMinute: 3 });
		const starts: number[] = [];
		const results = Array.from(
			{ length: 7 },
			(_, index) =>
				queue.run(call(`m${index}`), () => {
					starts.push(elapsed());
					return Promise.resolve();
				}).result,
		);
		await vi.advanceTimersByTimeAsync(3 * RATE_WINDOW_MS);
		await Promise.all(results);
		expect(starts.map((at) => Math.floor(at / 60_000))).toEqual([0, 0, 0, 1, 1, 1, 2]);
		for (let index = 3; index < starts.length; index += 1) {
			expect(starts[index]! - starts[index - 3]!).toBeGreaterThanOrEqual(RATE_WINDOW_MS);
		}
	});

	it("does not hold back a call on another model because the first model's window is full", async () => {
		const queue = queueWith({ concurrency: 10, requestsPerMinute: 1 });
		const tasks = gated();
		const results = [
			queue.run(call('a'), tasks.task).result,
			queue.run(call('b'), tasks.task).result,
			queue.run(call('c', { models: ['other'] }), tasks.task).result,
		];
		await vi.advanceTimersByTimeAsync(0);
		expect(tasks.starts).toEqual([
			{ model: 'a', at: 0 },
			{ model: 'other', at: 0 },
		]);
		await vi.advanceTimersByTimeAsync(RATE_WINDOW_MS);
		expect(tasks.starts[2]).toEqual({ model: 'a', at: RATE_WINDOW_MS });
		tasks.finishAll();
		await Promise.all(results);
	});

	it('holdOff delays starts on that model until the given time, and stateOf says which rate window it waits for', async () => {
		const queue = queueWith({ concurrency: 1 });
		const tasks = gated();
		const until = clock.start + 30_000;
		queue.holdOff('a', until, 'rate-limited');
		expect(queue.heldOff('a')).toEqual({ until, reason: 'rate-limited' });
		const held = queue.run(call('alice'), tasks.task);
		const next = queue.run(call('bob'), tasks.task);
		await vi.advanceTimersByTimeAsync(0);
		expect(queue.stateOf(held.ticket)).toEqual({ kind: 'rate-window', readyAt: until });
		// The call that holds the slot and waits for the window goes first, and no longer counts as waiting.
		expect(queue.stateOf(next.ticket)).toEqual({ kind: 'turn', ahead: 1 });
		expect(queue.waitingOf('alice')).toBe(0);
		expect(queue.waitingOf('bob')).toBe(1);
		await vi.advanceTimersByTimeAsync(29_999);
		expect(tasks.starts).toEqual([]);
		await vi.advanceTimersByTimeAsync(1);
		expect(tasks.starts).toEqual([{ model: 'a', at: 30_000 }]);
		expect(queue.stateOf(held.ticket)).toEqual({ kind: 'running' });
		expect(queue.heldOff('a')).toBeUndefined();
		tasks.finishAll();
		await vi.advanceTimersByTimeAsync(0);
		tasks.finishAll();
		await Promise.all([held.result, next.result]);
	});

	it("with models ['a', 'b'], a held-off 'a' makes calls run on 'b', which the task receives", async () => {
		const queue = queueWith({ concurrency: 2 });
		queue.holdOff('a', clock.start + 30_000, 'rate-limited');
		const models: string[] = [];
		const task = (model: string): Promise<void> => {
			models.push(model);
			return Promise.resolve();
		};
		await queue.run(call('alice', { models: ['a', 'b'] }), task).result;
		await queue.run(call('bob', { models: ['a', 'b'] }), task).result;
		expect(models).toEqual(['b', 'b']);
		expect(elapsed()).toBe(0);
		await vi.advanceTimersByTimeAsync(30_000);
		await queue.run(call('alice', { models: ['a', 'b'] }), task).result;
		expect(models).toEqual(['b', 'b', 'a']);
	});

	it("rejects the result at once with a 'quota-exhausted' ModelError when every model of the call is exhausted", async () => {
		const queue = queueWith({ concurrency: 1 });
		queue.holdOff('a', clock.start + 3_600_000, 'quota-exhausted');
		queue.holdOff('b', clock.start + 3_600_000, 'quota-exhausted');
		let ran = false;
		const { ticket, result } = queue.run(call('alice', { models: ['a', 'b'] }), () => {
			ran = true;
			return Promise.resolve();
		});
		await expect(result).rejects.toBeInstanceOf(ModelError);
		await expect(result).rejects.toMatchObject({ kind: 'quota-exhausted' });
		expect(elapsed()).toBe(0);
		expect(ran).toBe(false);
		expect(queue.stateOf(ticket)).toBeUndefined();
		// A model with quota left still serves calls that may use it.
		await expect(
			queue.run(call('bob', { models: ['a', 'c'] }), (model) => Promise.resolve(model)).result,
		).resolves.toBe('c');
	});

	it('charge counts output tokens against the model it names', async () => {
		const queue = queueWith({ concurrency: 2, tokensPerMinute: 1_000 });
		const tasks = gated();
		queue.charge('a', 1_000);
		const onA = queue.run(call('alice', { estimatedTokens: 10 }), tasks.task);
		const onB = queue.run(call('bob', { models: ['b'], estimatedTokens: 10 }), tasks.task);
		await vi.advanceTimersByTimeAsync(0);
		expect(tasks.starts).toEqual([{ model: 'b', at: 0 }]);
		expect(queue.stateOf(onA.ticket)).toEqual({ kind: 'rate-window', readyAt: clock.start + RATE_WINDOW_MS });
		await vi.advanceTimersByTimeAsync(RATE_WINDOW_MS);
		expect(tasks.starts).toEqual([
			{ model: 'b', at: 0 },
			{ model: 'a', at: RATE_WINDOW_MS },
		]);
		tasks.finishAll();
		await Promise.all([onA.result, onB.result]);
	});

	it('clear drops the calls still waiting: none of them starts, and nothing is left waiting', async () => {
		const queue = queueWith({ concurrency: 1 });
		const tasks = gated();
		const running = queue.run(call('alice'), tasks.task);
		queue.run(call('alice'), tasks.task);
		queue.run(call('bob'), tasks.task);
		await vi.advanceTimersByTimeAsync(0);
		expect(queue.waiting).toBe(2);
		queue.clear();
		expect(queue.waiting).toBe(0);
		expect(queue.waitingOf('alice')).toBe(0);
		expect(queue.waitingOf('bob')).toBe(0);
		tasks.finishAll();
		await running.result;
		await vi.advanceTimersByTimeAsync(1_000);
		expect(tasks.starts).toHaveLength(1);
		// The queue still takes new calls after a clear.
		await expect(queue.run(call('carol'), () => Promise.resolve('later')).result).resolves.toBe('later');
	});
});
