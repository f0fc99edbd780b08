import { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { ModelError, toModelError } from '../model-error.js';

/** Classifies anything an `openai` client call threw (its own errors first, then as any other model error). */
export function toOpenAiModelError(error: unknown, signal?: AbortSignal): ModelError {
	if (signal?.aborted) return toModelError(error, signal);
	return fromOpenAiError(error) ?? toModelError(error, signal);
}

/**
 * An `openai` client error as a ModelError, or undefined when it is not one. A 429 waits what `retry-after-ms` or
 * `retry-after` ask; `insufficient_quota` is a 429 that waiting does not fix; 400 (a context too long among them),
 * 401, 403 and 404 are reported at once and never retried.
 */
export function fromOpenAiError(error: unknown): ModelError | undefined {
	if (!(error instanceof APIError) || error instanceof APIUserAbortError) return undefined;
	if (error instanceof APIConnectionError) return new ModelError('network', error.message, { cause: error });
	// The client types these loosely: what a server sent may be anything.
	const code = typeof error.code === 'string' ? error.code : undefined;
	const headers = error.headers as Headers | undefined;
	const status = typeof error.status === 'number' ? error.status : 0;
	const options = { cause: error, httpStatus: status, code };
	const message = error.message;
	if (status === 429) {
		if (code === 'insufficient_quota') return new ModelError('no-credit', message, options);
		return new ModelError('rate-limited', message, { ...options, retryDelayMs: retryDelayMs(headers) });
	}
	if (status === 401 || status === 403) return new ModelError('auth', message, options);
	if (status === 404) return new ModelError('model-not-found', message, options);
	if (status === 400 || status === 413 || status === 422) {
		const tooLong =
			error.code === 'context_length_exceeded' || /context length|too long|maximum context/i.test(message);
		return new ModelError('bad-request', message, { ...options, code: tooLong ? 'context-too-long' : options.code });
	}
	if (status === 408) return new ModelError('timeout', message, options);
	if (status >= 500 || status === 0) return new ModelError('unavailable', message, options);
	return new ModelError('unknown', message, options);
}

/** `retry-after-ms` (milliseconds) or `retry-after` (seconds, or an HTTP date), as chat-completions servers send. */
export function retryDelayMs(headers: Headers | undefined, now: number = Date.now()): number | undefined {
	const milliseconds = Number(headers?.get('retry-after-ms') ?? Number.NaN);
	if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
	const after = headers?.get('retry-after');
	if (after === null || after === undefined) return undefined;
	const seconds = Number(after);
	if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1_000;
	const date = Date.parse(after);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
