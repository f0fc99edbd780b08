const MINUTE_MS = 60_000;

export type RateDecision =
	| { allowed: true; limit: number; remaining: number; resetMs: number }
	| { allowed: false; limit: number; waitMs: number };

export type RateLimiter = {
	readonly limit: number | undefined;
	setLimit(limit: number | undefined): void;
	/** Takes a slot for `model`; undefined when no limit is set. `waitMs` is Infinity for 0 RPM. */
	take(model: string, now: number): RateDecision | undefined;
};

type Bucket = { tokens: number; updatedAt: number };

/** Token bucket per model: `limit` requests of burst, refilled continuously at `limit` per minute. */
export function createRateLimiter(): RateLimiter {
	let limit: number | undefined;
	const buckets = new Map<string, Bucket>();
	return {
		get limit() {
			return limit;
		},
		setLimit(next) {
			if (next !== undefined && (!Number.isFinite(next) || next < 0)) {
				throw new RangeError(`requests per minute must be a finite number >= 0, got ${next}`);
			}
			limit = next;
			buckets.clear();
		},
		take(model, now) {
			if (limit === undefined) return undefined;
			if (limit === 0) return { allowed: false, limit, waitMs: Number.POSITIVE_INFINITY };
			const refillPerMs = limit / MINUTE_MS;
			const bucket = buckets.get(model) ?? { tokens: limit, updatedAt: now };
			bucket.tokens = Math.min(limit, bucket.tokens + (now - bucket.updatedAt) * refillPerMs);
			bucket.updatedAt = now;
			buckets.set(model, bucket);
			if (bucket.tokens < 1) return { allowed: false, limit, waitMs: (1 - bucket.tokens) / refillPerMs };
			bucket.tokens -= 1;
			return { allowed: true, limit, remaining: bucket.tokens, resetMs: (limit - bucket.tokens) / refillPerMs };
		},
	};
}
