import { ERROR_TYPE_PREFIX, googleError } from './google-error.js';
import type { GoogleError } from './google-error.js';
import { PER_DAY_QUOTA_ID, PER_MINUTE_QUOTA_ID, quotaError } from './quota-error.js';
import type { GeminiScenario } from './types.js';

type HttpErrorScenario = Extract<GeminiScenario, { kind: 'http-error' }>;

const FREE_TIER_RPM = 10;
const FREE_TIER_RPD = 250;

/** The Google error for an `http-error` scenario; `quotaId` only matters for 429s. */
export function scenarioError(scenario: HttpErrorScenario, model: string): GoogleError {
	if (scenario.status === 429) {
		return quotaError({
			model,
			quotaId: scenario.quotaId ?? PER_MINUTE_QUOTA_ID,
			limit: FREE_TIER_RPM,
			retryDelay: scenario.retryDelay,
			message: scenario.message,
		});
	}
	const details =
		scenario.retryDelay === undefined
			? undefined
			: [{ '@type': `${ERROR_TYPE_PREFIX}RetryInfo`, retryDelay: scenario.retryDelay }];
	return googleError(scenario.status, scenario.message, details);
}

/** Daily quota exhausted: QuotaFailure + Help only, no RetryInfo (retrying before the reset is pointless). */
export function perDayError(model: string): GoogleError {
	return quotaError({ model, quotaId: PER_DAY_QUOTA_ID, limit: FREE_TIER_RPD });
}
