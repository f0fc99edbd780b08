import type { RestResponse } from './responses.js';
import type { GlobalRateLimitOptions } from './types.js';

/** Discord exempts interaction callbacks and webhook (interaction token) routes from the global limit. */
const EXEMPT_PATHS = [/^\/interactions\/[^/]+\/[^/]+\/callback$/, /^\/webhooks\//];

export type GlobalRateLimiter = {
	configure(options: GlobalRateLimitOptions | undefined): void;
	/** Counts an authorized, non-exempt request against the bot-wide window; the 429 to answer when it is full. */
	take(path: string, authorized: boolean, now: number): RestResponse | undefined;
};

export function createGlobalRateLimiter(): GlobalRateLimiter {
	let options: GlobalRateLimitOptions | undefined;
	let window = { start: 0, count: 0 };

	return {
		configure(next) {
			options = next;
			window = { start: 0, count: 0 };
		},
		take(path, authorized, now) {
			if (!options || !authorized || EXEMPT_PATHS.some((pattern) => pattern.test(path))) return undefined;
			if (now >= window.start + options.windowMs) window = { start: now, count: 0 };
			if (window.count < options.limit) {
				window.count += 1;
				return undefined;
			}
			const retryAfter = Math.max(window.start + options.windowMs - now, 1) / 1000;
			const headers: Record<string, string> = { 'Retry-After': retryAfter.toFixed(3) };
			if (options.advertise !== false) {
				headers['X-RateLimit-Global'] = 'true';
				headers['X-RateLimit-Scope'] = 'global';
			}
			return {
				status: 429,
				headers,
				body: { message: 'You are being rate limited.', retry_after: retryAfter, global: true },
			};
		},
	};
}
