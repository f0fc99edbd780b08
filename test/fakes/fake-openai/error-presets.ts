import { genericErrorBody, modelNotFoundError, openAiError, serverErrorBody } from './openai-error.js';
import type { HttpFailure } from './openai-error.js';
import { formatDuration, rateLimitHeaders, retryAfterHeaders } from './rate-limit-headers.js';
import type { OpenAiErrorPreset, OpenAiScenario } from './types.js';

type HttpErrorScenario = Extract<OpenAiScenario, { kind: 'http-error' }>;

/** A tier-1 RPM, used in the 'rate-limit' preset's message and headers. */
const PRESET_RPM = 500;
const DEFAULT_RETRY_AFTER_MS = 1_000;
const RATE_LIMITS_URL = 'https://platform.openai.com/account/rate-limits';
const ERROR_CODES_URL = 'https://platform.openai.com/docs/guides/error-codes/api-errors';

export type RateLimitErrorOptions = { model: string; limit: number; retryAfterMs: number };

/** OpenAI's per-minute 429: type `requests`, the wait repeated in the message and in four headers. */
export function rateLimitError({ model, limit, retryAfterMs }: RateLimitErrorOptions): HttpFailure {
	const wait = Number.isFinite(retryAfterMs) ? `Please try again in ${formatDuration(retryAfterMs)}. ` : '';
	const resetMs = Number.isFinite(retryAfterMs) ? retryAfterMs : 86_400_000;
	return openAiError(
		429,
		{
			message: `Rate limit reached for ${model} in organization org-fake on requests per min (RPM): Limit ${limit}, Used ${limit}, Requested 1. ${wait}Visit ${RATE_LIMITS_URL} to learn more.`,
			type: 'requests',
			code: 'rate_limit_exceeded',
		},
		{
			...rateLimitHeaders({ limit, remaining: 0, resetMs }),
			...(Number.isFinite(retryAfterMs) ? retryAfterHeaders(retryAfterMs) : {}),
		},
	);
}

export function presetError(preset: OpenAiErrorPreset, model: string, retryAfterMs: number | undefined): HttpFailure {
	switch (preset) {
		case 'rate-limit':
			return rateLimitError({ model, limit: PRESET_RPM, retryAfterMs: retryAfterMs ?? DEFAULT_RETRY_AFTER_MS });
		case 'insufficient-quota':
			return openAiError(429, {
				message: `You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: ${ERROR_CODES_URL}.`,
				type: 'insufficient_quota',
				code: 'insufficient_quota',
			});
		case 'context-length':
			return openAiError(400, {
				message:
					"This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.",
				param: 'messages',
				code: 'context_length_exceeded',
			});
		case 'invalid-api-key':
			return openAiError(401, {
				message:
					'Incorrect API key provided: sk-fake***1234. You can find your API key at https://platform.openai.com/account/api-keys.',
				code: 'invalid_api_key',
			});
		case 'forbidden':
			return openAiError(403, {
				message: 'Country, region, or territory not supported',
				type: 'request_forbidden',
				code: 'unsupported_country_region_territory',
			});
		case 'model-not-found':
			return modelNotFoundError(model);
		case 'server-error':
			return { status: 500, error: serverErrorBody(), headers: {} };
		case 'overloaded':
			return openAiError(503, { message: 'The server is overloaded or not ready yet.', type: 'server_error' });
	}
}

/** The preset (or a generic body for the status), with the scenario's status, body fields and headers on top. */
export function scenarioError(scenario: HttpErrorScenario, model: string): HttpFailure {
	const base =
		scenario.preset === undefined
			? { status: scenario.status, error: genericErrorBody(scenario.status), headers: {} }
			: presetError(scenario.preset, model, scenario.retryAfterMs);
	return {
		status: scenario.status ?? base.status,
		error: { ...base.error, ...scenario.error },
		headers: {
			...base.headers,
			...(scenario.retryAfterMs === undefined ? {} : retryAfterHeaders(scenario.retryAfterMs)),
			...scenario.headers,
		},
	};
}
