import { ApiError } from '@google/genai';
import { parseGeminiError } from './parse-gemini-error.js';

export type ModelErrorKind =
	| 'rate-limited'
	| 'quota-exhausted'
	| 'unavailable'
	| 'network'
	| 'bad-request'
	| 'auth'
	| 'model-not-found'
	| 'timeout'
	| 'stopped'
	| 'malformed'
	| 'unknown'
	// Not Gemini's doing: reasons the bot itself ends a call with.
	| 'shutdown'
	| 'gone'
	| 'withdrawn'
	| 'budget'
	// An OpenAI-compatible account with no credit left (429 insufficient_quota): waiting does not help.
	| 'no-credit';

/** A failed model call, classified so callers can decide to retry and what to tell the user. */
export class ModelError extends Error {
	override readonly name = 'ModelError';
	readonly kind: ModelErrorKind;
	readonly httpStatus: number | undefined;
	readonly retryDelayMs: number | undefined;
	/** A finer reason, stored as the turn's error code ('thread-deleted' for a 'gone' call). */
	readonly code: string | undefined;

	constructor(
		kind: ModelErrorKind,
		message: string,
		options: {
			cause?: unknown;
			httpStatus?: number | undefined;
			retryDelayMs?: number | undefined;
			code?: string | undefined;
		} = {},
	) {
		super(message, { cause: options.cause });
		this.kind = kind;
		this.httpStatus = options.httpStatus;
		this.retryDelayMs = options.retryDelayMs;
		this.code = options.code;
	}
}

/**
 * Classifies anything a Gemini call threw. An abort carries its reason on the signal: a ModelError
 * ('timeout' from the idle watchdog) or anything else (a member pressed Stop).
 */
export function toModelError(error: unknown, signal?: AbortSignal): ModelError {
	if (error instanceof ModelError) return error;
	if (signal?.aborted) {
		return signal.reason instanceof ModelError
			? signal.reason
			: new ModelError('stopped', 'Stopped.', { cause: error });
	}
	if (error instanceof ApiError) return fromApiError(error);
	if (error instanceof SyntaxError || (error instanceof Error && /Incomplete JSON/.test(error.message))) {
		return new ModelError('malformed', 'Malformed response from Gemini', { cause: error });
	}
	if (error instanceof TypeError) return new ModelError('network', error.message, { cause: error });
	if (error instanceof Error && error.name === 'AbortError')
		return new ModelError('timeout', error.message, { cause: error });
	return new ModelError('unknown', error instanceof Error ? error.message : String(error), { cause: error });
}

function fromApiError(error: ApiError): ModelError {
	const info = parseGeminiError(error.status, error.message);
	const options = { cause: error, httpStatus: error.status, retryDelayMs: info.retryDelayMs };
	const message = `Gemini ${error.status}${info.status ? ` ${info.status}` : ''}: ${firstLine(info.message)}`;
	if (error.status === 429)
		return new ModelError(info.quotaExhausted ? 'quota-exhausted' : 'rate-limited', message, options);
	if ([500, 502, 503, 504].includes(error.status)) return new ModelError('unavailable', message, options);
	if (error.status === 401 || error.status === 403 || /API key/i.test(info.message)) {
		return new ModelError('auth', message, options);
	}
	if (error.status === 404) return new ModelError('model-not-found', message, options);
	if (error.status === 408) return new ModelError('timeout', message, options);
	if (error.status >= 400 && error.status < 500) return new ModelError('bad-request', message, options);
	return new ModelError('unknown', message, options);
}

function firstLine(text: string): string {
	return text.split('\n', 1)[0]?.slice(0, 300) ?? '';
}
