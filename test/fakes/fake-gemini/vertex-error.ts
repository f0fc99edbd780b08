import { ERROR_TYPE_PREFIX, googleError } from './google-error.js';
import type { GoogleError } from './google-error.js';
import type { GeminiAction } from './types.js';

// Vertex AI's texts, as its users report them.
const RESOURCE_EXHAUSTED_MESSAGE =
	'Resource exhausted. Please try again later. Please refer to https://cloud.google.com/vertex-ai/generative-ai/docs/error-code-429 for more details.';
const CREDENTIALS_HINT =
	'Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';
const MODEL_VERSIONS_URL = 'https://cloud.google.com/vertex-ai/generative-ai/docs/learn/model-versions';
const QUOTAS_URL = 'https://cloud.google.com/vertex-ai/docs/generative-ai/quotas-genai';

/** Vertex's 429 (shared capacity or quota): no QuotaFailure, no Help, and RetryInfo only when asked for. */
export function resourceExhaustedError(message?: string, retryDelay?: string): GoogleError {
	const details = retryDelay === undefined ? undefined : [{ '@type': `${ERROR_TYPE_PREFIX}RetryInfo`, retryDelay }];
	return googleError(429, message ?? RESOURCE_EXHAUSTED_MESSAGE, details);
}

/** The per-minute quota of a base model in one project and location ran out. */
export function vertexQuotaError(model: string): GoogleError {
	return resourceExhaustedError(
		`Quota exceeded for aiplatform.googleapis.com/generate_content_requests_per_minute_per_project_per_base_model with base model: ${model}. Please submit a quota increase request. ${QUOTAS_URL}.`,
	);
}

export type BearerRejectionReason = 'missing' | 'invalid' | 'api-key';

/** 401 UNAUTHENTICATED with the ErrorInfo Google adds; `method` is the RPC, e.g. 'PredictionService.GenerateContent'. */
export function unauthenticatedError(reason: BearerRejectionReason, apiVersion: string, method: string): GoogleError {
	const messages: Record<BearerRejectionReason, string> = {
		missing: `Request is missing required authentication credential. ${CREDENTIALS_HINT}`,
		invalid: `Request had invalid authentication credentials. ${CREDENTIALS_HINT}`,
		'api-key':
			'API keys are not supported by this API. Expected OAuth2 access token or other authentication credentials that assert a principal. See https://cloud.google.com/docs/authentication',
	};
	return googleError(401, messages[reason], [
		{
			'@type': `${ERROR_TYPE_PREFIX}ErrorInfo`,
			reason: reason === 'invalid' ? 'ACCESS_TOKEN_TYPE_UNSUPPORTED' : 'CREDENTIALS_MISSING',
			domain: 'googleapis.com',
			metadata: { service: 'aiplatform.googleapis.com', method: `google.cloud.aiplatform.${apiVersion}.${method}` },
		},
	]);
}

/** The RPC a generation route maps to, as named in ErrorInfo metadata. */
export function predictionMethod(action: GeminiAction): string {
	const names: Record<GeminiAction, string> = {
		generateContent: 'GenerateContent',
		streamGenerateContent: 'StreamGenerateContent',
		countTokens: 'CountTokens',
	};
	return `PredictionService.${names[action]}`;
}

/** A generation request for a model the project cannot use. */
export function publisherModelNotFoundError(project: string, location: string, model: string): GoogleError {
	return googleError(
		404,
		`Publisher Model \`projects/${project}/locations/${location}/publishers/google/models/${model}\` was not found or your project does not have access to it. Please ensure you are using a valid model version. For more information, see: ${MODEL_VERSIONS_URL}`,
	);
}

/** models.get for a publisher model that does not exist. */
export function publisherModelGetNotFoundError(model: string): GoogleError {
	return googleError(404, `Publisher Model \`publishers/google/models/${model}\` not found.`);
}
