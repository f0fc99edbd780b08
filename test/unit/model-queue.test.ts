import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createModelQueue, RATE_WINDOW_MS } from '../../src/llm/model-queue.js';

beforeEach(() => {
	vi.useFakeTimers();
});
afterEach(() => {
	vi.useRealTimers();
});

const hold = (ms: number) => () => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('createModelQueue', () => {
	it('runs at most `concurrency` tasks at once, each for its whole duration', async () => {
		const queue = createModelQueue({ concurrency: 2, requestsPerMinute: 100 });
		let running = 0;
		let maxRunning = 0;
		const task = async () => {
			running += 1;
			maxRunning = Math.max(maxRunning, running);
			await hold(1_000)();
			running -= 1;
		};
		const all = Promise.all(Array.from({ length: 6 }, () => queue.run(task)));
		await vi.advanceTimersByTimeAsync(5_000);
		await all;
		expect(maxRunning).toBe(2);
	});

	it('starts no more than requestsPerMinute tasks in any minute, with a second of margin', async () => {
		const queue = createModelQueue({ concurrency: 10, requestsPerMinute: 3 });
		const starts: number[] = [];
		const all = Promise.all(
			Array.from({ length: 7 }, () =>
				queue.run(async () => {
					starts.push(Date.now());
					await Promise.resolve();
				}),
			),
		);
		await vi.advanceTimersByTimeAsync(150_000);
		await all;
		const begin = starts[0]!;
		expect(starts.map((start) => Math.floor((start - begin) / 60_000))).toEqual([0, 0, 0, 1, 1, 1, 2]);
		for (let index = 3; index < starts.length; index += 1) {
			expect(starts[index]! - starts[index - 3]!).toBeGreaterThanOrEqual(RATE_WINDOW_MS);
		}
	});

	it('starts nothing during a pause and resumes after it', async () => {
		const queue = createModelQueue({ concurrency: 2, requestsPerMinute: 100 });
		queue.pauseFor(5_000);
		queue.pauseFor(1_000);
		let startedAt: number | undefined;
		const begin = Date.now();
		const done = queue.run(async () => {
			startedAt = Date.now() - begin;
			await Promise.resolve();
		});
		await vi.advanceTimersByTimeAsync(4_000);
		expect(startedAt).toBeUndefined();
		expect(queue.waiting).toBe(1);
		await vi.advanceTimersByTimeAsync(1_500);
		await done;
		expect(startedAt).toBe(5_000);
	});

	it('runs a higher-priority task (a retry) before earlier waiting ones', async () => {
		const queue = createModelQueue({ concurrency: 1, requestsPerMinute: 100 });
		const order: string[] = [];
		const blocker = queue.run(hold(100));
		const record = (name: string) => () => {
			order.push(name);
			return Promise.resolve();
		};
		const normal = queue.run(record('normal'));
		const retry = queue.run(record('retry'), { priority: 1 });
		await vi.advanceTimersByTimeAsync(200);
		await Promise.all([blocker, normal, retry]);
		expect(order).toEqual(['retry', 'normal']);
	});

	it('drops a waiting task whose signal aborts', async () => {
		const queue = createModelQueue({ concurrency: 1, requestsPerMinute: 100 });
		const blocker = queue.run(hold(1_000));
		const controller = new AbortController();
		const waiting = queue.run(() => Promise.resolve('ran'), { signal: controller.signal });
		controller.abort(new Error('stopped'));
		await expect(waiting).rejects.toThrow('stopped');
		await vi.advanceTimersByTimeAsync(1_000);
		await blocker;
	});
});
