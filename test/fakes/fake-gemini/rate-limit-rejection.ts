import type { FakeGeminiState } from './fake-gemini-state.js';
import type { GoogleError } from './google-error.js';
import type { GeminiRoute } from './parse-route.js';
import { formatRetryDelay, PER_MINUTE_QUOTA_ID, quotaError } from './quota-error.js';
import { vertexQuotaError } from './vertex-error.js';

/**
 * Takes a slot of the RPM limit, or returns the 429 to send. Vertex AI quotas are per project, location and base
 * model, so each location gets its own buckets; its 429 names the quota and carries no RetryInfo.
 */
export function rateLimitRejection(state: FakeGeminiState, route: GeminiRoute): GoogleError | undefined {
	const key = route.vertex === undefined ? route.model : `${route.model}@${route.vertex.location}`;
	const waitMs = state.limiter.take(key, Date.now());
	if (waitMs === undefined) return undefined;
	if (route.vertex !== undefined) return vertexQuotaError(route.model);
	const retryDelay = Number.isFinite(waitMs) ? formatRetryDelay(waitMs) : undefined;
	return quotaError({ model: route.model, quotaId: PER_MINUTE_QUOTA_ID, limit: state.limiter.limit ?? 0, retryDelay });
}
