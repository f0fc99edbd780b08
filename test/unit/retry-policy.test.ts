import { describe, expect, it } from 'vitest';
import type { ModelErrorKind } from '../../src/llm/model-error.js';
import { ModelError } from '../../src/llm/model-error.js';
import { backoffMs, decideRetry } from '../../src/llm/retry-policy.js';

const error = (kind: ModelErrorKind, retryDelayMs?: number) => new ModelError(kind, kind, { retryDelayMs });
const options = { maxAttempts: 4, random: () => 0.5 };

describe('decideRetry', () => {
	it('waits the delay a 429 asks for and pauses the queue', () => {
		expect(decideRetry(error('rate-limited', 7_000), 1, false, options)).toEqual({
			retry: true,
			delayMs: 7_000,
			pauseQueue: true,
		});
	});

	it('backs off exponentially on a 429 without a delay', () => {
		expect(decideRetry(error('rate-limited'), 2, false, options)).toEqual({
			retry: true,
			delayMs: 1_500,
			pauseQueue: true,
		});
	});

	it('gives up on a 429 that asks for more than the longest wait', () => {
		expect(decideRetry(error('rate-limited', 120_000), 1, false, options)).toEqual({ retry: false });
	});

	it('retries server and network errors with backoff, without pausing the queue', () => {
		for (const kind of ['unavailable', 'network'] as const) {
			expect(decideRetry(error(kind), 1, false, options)).toEqual({ retry: true, delayMs: 750, pauseQueue: false });
		}
	});

	it('never retries requests that cannot succeed, a daily quota, or a stop', () => {
		for (const kind of [
			'bad-request',
			'auth',
			'model-not-found',
			'quota-exhausted',
			'stopped',
			'timeout',
			'malformed',
			'unknown',
		] as const) {
			expect(decideRetry(error(kind), 1, false, options)).toEqual({ retry: false });
		}
	});

	it('never retries once text was shown, nor past the last attempt', () => {
		expect(decideRetry(error('unavailable'), 1, true, options)).toEqual({ retry: false });
		expect(decideRetry(error('unavailable'), 4, false, options)).toEqual({ retry: false });
	});
});

describe('backoffMs', () => {
	it('doubles per attempt with jitter in the upper half, capped at 16 s', () => {
		expect(backoffMs(1, () => 0)).toBe(500);
		expect(backoffMs(1, () => 1)).toBe(1_000);
		expect(backoffMs(3, () => 0)).toBe(2_000);
		expect(backoffMs(3, () => 1)).toBe(4_000);
		expect(backoffMs(10, () => 1)).toBe(16_000);
	});
});
