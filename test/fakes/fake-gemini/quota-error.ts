import { ERROR_TYPE_PREFIX, googleError } from './google-error.js';
import type { GoogleError, GoogleErrorDetail } from './google-error.js';

export const PER_MINUTE_QUOTA_ID = 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier';
export const PER_DAY_QUOTA_ID = 'GenerateRequestsPerDayPerProjectPerModel-FreeTier';

const QUOTA_METRIC = 'generativelanguage.googleapis.com/generate_content_free_tier_requests';
const RATE_LIMITS_URL = 'https://ai.google.dev/gemini-api/docs/rate-limits';

export type QuotaErrorOptions = {
	model: string;
	quotaId: string;
	limit: number;
	/** Protobuf duration ('47s', '1.5s'); omitted means no RetryInfo, as for per-day exhaustion. */
	retryDelay?: string | undefined;
	/** Replaces the generated message. */
	message?: string | undefined;
};

/** A 429 shaped like the real one: QuotaFailure + Help (+ RetryInfo), delay repeated in the message. */
export function quotaError(options: QuotaErrorOptions): GoogleError {
	const details: GoogleErrorDetail[] = [
		{
			'@type': `${ERROR_TYPE_PREFIX}QuotaFailure`,
			violations: [
				{
					quotaMetric: QUOTA_METRIC,
					quotaId: options.quotaId,
					quotaDimensions: { location: 'global', model: options.model },
					quotaValue: String(options.limit),
				},
			],
		},
		{
			'@type': `${ERROR_TYPE_PREFIX}Help`,
			links: [{ description: 'Learn more about Gemini API quotas', url: RATE_LIMITS_URL }],
		},
	];
	if (options.retryDelay !== undefined) {
		details.push({ '@type': `${ERROR_TYPE_PREFIX}RetryInfo`, retryDelay: options.retryDelay });
	}
	const retryHint = options.retryDelay === undefined ? '' : `\nPlease retry in ${options.retryDelay}.`;
	const message =
		options.message ??
		`You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: ${RATE_LIMITS_URL}.\n* Quota exceeded for metric: ${QUOTA_METRIC}, limit: ${options.limit}, model: ${options.model}${retryHint}`;
	return googleError(429, message, details);
}

/** Formats milliseconds as a protobuf JSON Duration: '30s', '29.997s'. */
export function formatRetryDelay(delayMs: number): string {
	const seconds = Math.max(0, Math.ceil(delayMs)) / 1_000;
	return `${Number.isInteger(seconds) ? String(seconds) : seconds.toFixed(3)}s`;
}
