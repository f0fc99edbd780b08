import { describe, expect, it } from 'vitest';
import { createKeyedLock } from '../../src/concurrency/keyed-lock.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createKeyedLock', () => {
	it('runs tasks of one key in arrival order, one at a time', async () => {
		const lock = createKeyedLock();
		const events: string[] = [];
		const task = (name: string, ms: number) => async () => {
			events.push(`start ${name}`);
			await tick(ms);
			events.push(`end ${name}`);
			return name;
		};
		const results = await Promise.all([
			lock.run('a', task('1', 20)),
			lock.run('a', task('2', 1)),
			lock.run('a', task('3', 1)),
		]);
		expect(results).toEqual(['1', '2', '3']);
		expect(events).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
	});

	it('runs different keys in parallel', async () => {
		const lock = createKeyedLock();
		let running = 0;
		let maxRunning = 0;
		const task = async () => {
			running += 1;
			maxRunning = Math.max(maxRunning, running);
			await tick(10);
			running -= 1;
		};
		await Promise.all([lock.run('a', task), lock.run('b', task), lock.run('c', task)]);
		expect(maxRunning).toBe(3);
	});

	it('goes on with the next task after one fails, and reports the failure to its caller', async () => {
		const lock = createKeyedLock();
		const failing = lock.run('a', () => Promise.reject(new Error('boom')));
		const next = lock.run('a', () => Promise.resolve('ok'));
		await expect(failing).rejects.toThrow('boom');
		await expect(next).resolves.toBe('ok');
	});
});
