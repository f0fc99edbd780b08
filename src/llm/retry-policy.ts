import type { ModelError } from './model-error.js';

export type RetryDecision = { retry: false } | { retry: true; delayMs: number; pauseQueue: boolean };

export type RetryPolicyOptions = {
	readonly maxAttempts: number;
	/** A 429 asking for a longer wait than this is reported instead of waited out. @default 60_000 */
	readonly maxRateLimitWaitMs?: number;
	readonly random?: () => number;
};

const BASE_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 16_000;
const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 60_000;

/**
 * Whether a failed attempt (1-based) is tried again and after how long. Failures after text was shown are
 * never retried: the reply would change under the reader's eyes.
 */
export function decideRetry(
	error: ModelError,
	attempt: number,
	textShown: boolean,
	options: RetryPolicyOptions,
): RetryDecision {
	if (textShown || attempt >= options.maxAttempts) return { retry: false };
	const random = options.random ?? Math.random;
	switch (error.kind) {
		case 'rate-limited': {
			const delayMs = error.retryDelayMs ?? backoffMs(attempt, random);
			const limit = options.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS;
			return delayMs > limit ? { retry: false } : { retry: true, delayMs, pauseQueue: true };
		}
		case 'unavailable':
		case 'network':
			return { retry: true, delayMs: backoffMs(attempt, random), pauseQueue: false };
		case 'quota-exhausted':
		case 'bad-request':
		case 'auth':
		case 'model-not-found':
		case 'timeout':
		case 'stopped':
		case 'malformed':
		case 'unknown':
		case 'shutdown':
		case 'gone':
		case 'withdrawn':
		case 'budget':
		case 'no-credit':
			return { retry: false };
	}
}

/** Exponential backoff with "equal jitter": half fixed, half random, so waiting clients spread out. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
	const ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
