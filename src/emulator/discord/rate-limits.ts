import type { MessageRateLimitOptions } from './types.js';

const BUCKET_HASHES = { create: 'f4k3c4e473m355463', edit: 'f4k3ed17m355463' } as const;

export type MessageBucket = keyof typeof BUCKET_HASHES;

export type RateLimitDecision =
	| { allowed: true; headers: Record<string, string> }
	| { allowed: false; headers: Record<string, string>; retryAfterMs: number };

export type MessageRateLimiter = {
	configure(options: MessageRateLimitOptions | undefined): void;
	/** Takes one slot of the channel's fixed window for that bucket, or says how long to wait. */
	take(bucket: MessageBucket, channelId: string, now: number): RateLimitDecision;
	recordWrite(channelId: string, at: number): void;
	maxWritesInWindow(channelId: string, windowMs: number): number;
};

function seconds(ms: number): string {
	return (Math.max(ms, 0) / 1000).toFixed(3);
}

export function createMessageRateLimiter(initial: MessageRateLimitOptions | undefined): MessageRateLimiter {
	let options = initial;
	const windows = new Map<string, { start: number; count: number }>();
	const writes = new Map<string, number[]>();

	const advertised = (
		bucket: MessageBucket,
		limit: number,
		remaining: number,
		resetAt: number,
		now: number,
	): Record<string, string> => ({
		'X-RateLimit-Limit': String(limit),
		'X-RateLimit-Remaining': String(remaining),
		'X-RateLimit-Reset': seconds(resetAt),
		'X-RateLimit-Reset-After': seconds(resetAt - now),
		'X-RateLimit-Bucket': BUCKET_HASHES[bucket],
	});

	return {
		configure(next) {
			options = next;
			windows.clear();
		},
		take(bucket, channelId, now) {
			if (!options) return { allowed: true, headers: {} };
			const key = `${bucket}:${channelId}`;
			let window = windows.get(key);
			if (!window || now >= window.start + options.windowMs) {
				window = { start: now, count: 0 };
				windows.set(key, window);
			}
			const resetAt = window.start + options.windowMs;
			if (window.count >= options.limit) {
				const retryAfterMs = resetAt - now;
				const headers: Record<string, string> = {
					'Retry-After': seconds(retryAfterMs),
					'X-RateLimit-Scope': 'user',
					...(options.advertise ? advertised(bucket, options.limit, 0, resetAt, now) : {}),
				};
				return { allowed: false, headers, retryAfterMs };
			}
			window.count += 1;
			const remaining = options.limit - window.count;
			const headers = options.advertise ? advertised(bucket, options.limit, remaining, resetAt, now) : {};
			return { allowed: true, headers };
		},
		recordWrite(channelId, at) {
			const list = writes.get(channelId) ?? [];
			list.push(at);
			writes.set(channelId, list);
		},
		maxWritesInWindow(channelId, windowMs) {
			const times = [...(writes.get(channelId) ?? [])].sort((a, b) => a - b);
			let best = 0;
			let start = 0;
			for (let end = 0; end < times.length; end += 1) {
				while ((times[end] ?? 0) - (times[start] ?? 0) >= windowMs) start += 1;
				best = Math.max(best, end - start + 1);
			}
			return best;
		},
	};
}
