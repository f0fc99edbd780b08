/** `retry-after-ms` as sent, and `retry-after` in whole seconds rounded up, which is all most clients read. */
export function retryAfterHeaders(retryAfterMs: number): Record<string, string> {
	return {
		'retry-after-ms': String(Math.max(0, Math.ceil(retryAfterMs))),
		'retry-after': String(Math.max(0, Math.ceil(retryAfterMs / 1_000))),
	};
}

export type RequestBudget = { limit: number; remaining: number; resetMs: number };

/** OpenAI's `x-ratelimit-*` set; the token budget is reported as never the binding one. */
export function rateLimitHeaders({ limit, remaining, resetMs }: RequestBudget): Record<string, string> {
	return {
		'x-ratelimit-limit-requests': String(limit),
		'x-ratelimit-remaining-requests': String(Math.max(0, Math.floor(remaining))),
		'x-ratelimit-reset-requests': formatDuration(resetMs),
		'x-ratelimit-limit-tokens': '200000',
		'x-ratelimit-remaining-tokens': '200000',
		'x-ratelimit-reset-tokens': '0s',
	};
}

/** OpenAI's duration format in reset headers and messages: '120ms', '1.5s', '20s', '6m0s'. */
export function formatDuration(ms: number): string {
	const rounded = Math.max(0, Math.ceil(ms));
	if (rounded < 1_000) return `${rounded}ms`;
	if (rounded < 60_000) return `${trimDecimals(rounded / 1_000)}s`;
	const minutes = Math.floor(rounded / 60_000);
	return `${minutes}m${trimDecimals((rounded - minutes * 60_000) / 1_000)}s`;
}

function trimDecimals(seconds: number): string {
	return String(Number(seconds.toFixed(3)));
}
