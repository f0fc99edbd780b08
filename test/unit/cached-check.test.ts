import { describe, expect, it, vi } from 'vitest';
import { createCachedCheck } from '../../src/health/cached-check.js';

function clock(start = 1_000_000) {
	let time = start;
	return {
		now: () => time,
		advance(ms: number) {
			time += ms;
		},
	};
}

describe('createCachedCheck', () => {
	it('runs the check once for every call within maxAgeMs, and again once that has passed', () => {
		const time = clock();
		let runs = 0;
		const check = vi.fn(() => ++runs);
		const cached = createCachedCheck(check, { now: time.now });

		expect(cached()).toBe(1);
		time.advance(999);
		expect(cached()).toBe(1);
		expect(cached()).toBe(1);
		expect(check).toHaveBeenCalledTimes(1);

		time.advance(1);
		expect(cached()).toBe(2);
		time.advance(500);
		expect(cached()).toBe(2);
		expect(check).toHaveBeenCalledTimes(2);
	});

	it('counts maxAgeMs from the run that is served, not from the latest call', () => {
		const time = clock();
		const check = vi.fn(() => 'report');
		const cached = createCachedCheck(check, { maxAgeMs: 100, now: time.now });
		for (let call = 0; call < 10; call++) {
			cached();
			time.advance(30);
		}
		// Calls at 0, 30, …, 270 ms: runs at 0, 120 and 240, never more than one per 100 ms however often it is called.
		expect(check).toHaveBeenCalledTimes(3);
	});

	it('gives callers that arrive while an asynchronous check is pending the same promise', async () => {
		const time = clock();
		let finish: (value: string) => void = () => undefined;
		const check = vi.fn(
			() =>
				new Promise<string>((resolve) => {
					finish = resolve;
				}),
		);
		const cached = createCachedCheck(check, { now: time.now });

		const callers = Array.from({ length: 5 }, () => cached());
		time.advance(10);
		callers.push(cached());
		finish('report');

		expect(await Promise.all(callers)).toEqual(Array(6).fill('report'));
		expect(check).toHaveBeenCalledTimes(1);
		expect(new Set(callers).size).toBe(1);
	});

	it('rethrows a failure to the callers within maxAgeMs, then runs the check again', () => {
		const time = clock();
		const failure = new Error('gateway state unreadable');
		const check = vi.fn<() => string>().mockImplementationOnce(() => {
			throw failure;
		});
		check.mockImplementation(() => 'report');
		const cached = createCachedCheck(check, { now: time.now });

		expect(() => cached()).toThrow(failure);
		time.advance(500);
		expect(() => cached()).toThrow(failure);
		expect(check).toHaveBeenCalledTimes(1);

		time.advance(500);
		expect(cached()).toBe('report');
		expect(check).toHaveBeenCalledTimes(2);
	});

	it('runs again after maxAgeMs by default even when the wall clock is set back', () => {
		vi.useFakeTimers({ toFake: ['Date', 'performance'] });
		try {
			const check = vi.fn(() => 'report');
			const cached = createCachedCheck(check);
			cached();
			vi.setSystemTime(Date.now() - 3_600_000);
			vi.advanceTimersByTime(1_000);
			cached();
			expect(check).toHaveBeenCalledTimes(2);
		} finally {
			vi.useRealTimers();
		}
	});
});
