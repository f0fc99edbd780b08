import { ApiError } from '@google/genai';
import { describe, expect, it } from 'vitest';
import { ModelError, toModelError } from '../../src/llm/model-error.js';
import { parseGeminiError } from '../../src/llm/parse-gemini-error.js';

const quota429 = {
	error: {
		code: 429,
		status: 'RESOURCE_EXHAUSTED',
		message:
			'You exceeded your current quota.\n* Quota exceeded for metric: generate_content_free_tier_requests, limit: 10\nPlease retry in 47.434392449s.',
		details: [
			{
				'@type': 'type.googleapis.com/google.rpc.QuotaFailure',
				violations: [{ quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier', quotaValue: '10' }],
			},
			{ '@type': 'type.googleapis.com/google.rpc.Help', links: [] },
			{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '45.837906927s' },
		],
	},
};
const perDay429 = {
	error: {
		code: 429,
		status: 'RESOURCE_EXHAUSTED',
		message: 'You exceeded your current quota.',
		details: [
			{
				'@type': 'type.googleapis.com/google.rpc.QuotaFailure',
				violations: [{ quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier', quotaValue: '250' }],
			},
		],
	},
};

/** The SDK's wrapping when a streaming error arrives with Content-Type text/event-stream (gemini-api.md §7.3). */
function doubleWrapped(body: unknown, status: number): string {
	return JSON.stringify({
		error: { message: JSON.stringify(body, null, 2), code: status, status: 'Too Many Requests' },
	});
}

describe('parseGeminiError', () => {
	it('reads RetryInfo (fractional seconds) and quota ids from a unary error body', () => {
		const info = parseGeminiError(429, JSON.stringify(quota429));
		expect(info).toMatchObject({
			httpStatus: 429,
			status: 'RESOURCE_EXHAUSTED',
			retryDelayMs: 45_838,
			quotaIds: ['GenerateRequestsPerMinutePerProjectPerModel-FreeTier'],
			quotaExhausted: false,
		});
	});

	it('unwraps the double-wrapped streaming error shape', () => {
		const info = parseGeminiError(429, doubleWrapped(quota429, 429));
		expect(info.status).toBe('RESOURCE_EXHAUSTED');
		expect(info.retryDelayMs).toBe(45_838);
	});

	it('falls back to "Please retry in" in the message when RetryInfo is absent', () => {
		const body = { error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Slow down. Please retry in 1.5s.' } };
		expect(parseGeminiError(429, JSON.stringify(body)).retryDelayMs).toBe(1_500);
		const inMs = { error: { code: 429, message: 'Please retry in 250ms.' } };
		expect(parseGeminiError(429, JSON.stringify(inMs)).retryDelayMs).toBe(250);
	});

	it('marks per-day and zero-limit quotas as exhausted', () => {
		expect(parseGeminiError(429, JSON.stringify(perDay429)).quotaExhausted).toBe(true);
		const zero = { error: { code: 429, message: 'Quota exceeded for metric: x, limit: 0, model: gemini-2.5-pro' } };
		expect(parseGeminiError(429, JSON.stringify(zero)).quotaExhausted).toBe(true);
	});

	it('reads the mid-stream "got status" form', () => {
		const message =
			'got status: UNAVAILABLE. {"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}';
		expect(parseGeminiError(503, message)).toMatchObject({
			status: 'UNAVAILABLE',
			message: 'The model is overloaded.',
		});
	});

	it('survives a body that is not JSON', () => {
		expect(parseGeminiError(500, 'Internal Server Error')).toMatchObject({
			message: 'Internal Server Error',
			quotaIds: [],
		});
	});
});

describe('toModelError', () => {
	const apiError = (status: number, body: unknown) => new ApiError({ status, message: JSON.stringify(body) });

	it('classifies HTTP failures', () => {
		expect(toModelError(new ApiError({ status: 429, message: doubleWrapped(quota429, 429) }))).toMatchObject({
			kind: 'rate-limited',
			retryDelayMs: 45_838,
			httpStatus: 429,
		});
		expect(toModelError(apiError(429, perDay429)).kind).toBe('quota-exhausted');
		for (const status of [500, 502, 503, 504])
			expect(toModelError(apiError(status, { error: { code: status } })).kind).toBe('unavailable');
		expect(toModelError(apiError(400, { error: { code: 400, message: 'contents is not specified' } })).kind).toBe(
			'bad-request',
		);
		expect(
			toModelError(apiError(400, { error: { code: 400, message: 'API key not valid. Please pass a valid API key.' } }))
				.kind,
		).toBe('auth');
		expect(toModelError(apiError(403, { error: { code: 403, message: 'denied' } })).kind).toBe('auth');
		expect(toModelError(apiError(404, { error: { code: 404, message: 'models/x is not found' } })).kind).toBe(
			'model-not-found',
		);
	});

	it('classifies transport failures and aborts', () => {
		expect(toModelError(new TypeError('fetch failed')).kind).toBe('network');
		expect(toModelError(new TypeError('terminated')).kind).toBe('network');
		expect(toModelError(new SyntaxError('Unexpected token')).kind).toBe('malformed');
		expect(toModelError(new Error('Incomplete JSON segment at the end')).kind).toBe('malformed');
		const stopped = new AbortController();
		stopped.abort();
		expect(toModelError(new DOMException('aborted', 'AbortError'), stopped.signal).kind).toBe('stopped');
		const timedOut = new AbortController();
		timedOut.abort(new ModelError('timeout', 'idle'));
		expect(toModelError(new DOMException('aborted', 'AbortError'), timedOut.signal).kind).toBe('timeout');
		expect(toModelError('weird').kind).toBe('unknown');
	});

	it('keeps a short message with the status and the original error as cause', () => {
		const original = apiError(503, {
			error: { code: 503, status: 'UNAVAILABLE', message: 'The model is overloaded.\nmore' },
		});
		const error = toModelError(original);
		expect(error.message).toBe('Gemini 503 UNAVAILABLE: The model is overloaded.');
		expect(error.cause).toBe(original);
	});
});
