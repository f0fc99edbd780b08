export type GeminiErrorInfo = {
	readonly httpStatus: number;
	readonly status: string | undefined;
	readonly message: string;
	readonly retryDelayMs: number | undefined;
	readonly quotaIds: readonly string[];
	/** A per-day quota (or a quota of zero) is exhausted: waiting seconds will not help. */
	readonly quotaExhausted: boolean;
};

type GoogleStatus = { code?: unknown; status?: unknown; message?: unknown; details?: unknown };

/**
 * Reads a Gemini `google.rpc.Status` out of an SDK ApiError message, including the streaming form where the
 * SDK wraps the real body, as a JSON string, inside another error (see gemini-api.md §7.3).
 */
export function parseGeminiError(httpStatus: number, rawMessage: string): GeminiErrorInfo {
	const body = unwrap(parseJson(rawMessage.replace(/^got status: \w+\. /, '')));
	const message = typeof body?.message === 'string' ? body.message : rawMessage;
	const details = Array.isArray(body?.details) ? (body.details as unknown[]) : [];
	let retryDelayMs: number | undefined;
	const quotaIds: string[] = [];
	let zeroLimit = /\blimit: 0\b/.test(message);
	for (const detail of details) {
		if (!isRecord(detail)) continue;
		const type = typeof detail['@type'] === 'string' ? detail['@type'] : '';
		if (type.endsWith('google.rpc.RetryInfo') && typeof detail['retryDelay'] === 'string') {
			retryDelayMs = durationMs(detail['retryDelay']);
		}
		if (type.endsWith('google.rpc.QuotaFailure') && Array.isArray(detail['violations'])) {
			for (const violation of detail['violations'] as unknown[]) {
				if (!isRecord(violation)) continue;
				if (typeof violation['quotaId'] === 'string') quotaIds.push(violation['quotaId']);
				if (violation['quotaValue'] === '0') zeroLimit = true;
			}
		}
	}
	retryDelayMs ??= retryDelayFromText(message);
	return {
		httpStatus,
		status: typeof body?.status === 'string' ? body.status : undefined,
		message,
		retryDelayMs,
		quotaIds,
		quotaExhausted: httpStatus === 429 && (zeroLimit || quotaIds.some((id) => /PerDay/.test(id))),
	};
}

function unwrap(value: unknown): GoogleStatus | undefined {
	const outer = isRecord(value) ? (isRecord(value['error']) ? value['error'] : value) : undefined;
	if (typeof outer?.['message'] === 'string' && outer['message'].trimStart().startsWith('{')) {
		const inner = unwrap(parseJson(outer['message']));
		if (inner) return inner;
	}
	return outer;
}

function durationMs(duration: string): number | undefined {
	const seconds = Number.parseFloat(duration);
	return Number.isFinite(seconds) ? Math.round(seconds * 1_000) : undefined;
}

function retryDelayFromText(message: string): number | undefined {
	const match = /Please retry in ([\d.]+)(ms|s)\b/.exec(message);
	if (!match?.[1]) return undefined;
	const value = Number.parseFloat(match[1]);
	return Math.round(match[2] === 'ms' ? value : value * 1_000);
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
