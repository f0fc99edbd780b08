import { unauthenticatedError } from './vertex-error.js';
import type { GoogleError } from './google-error.js';

export type BearerRequest = {
	authorization: string | undefined;
	apiKey: string | undefined;
	apiVersion: string;
	/** The RPC, for the ErrorInfo metadata: 'PredictionService.GenerateContent', ... */
	method: string;
};

const BEARER_PATTERN = /^Bearer\s+(\S+)$/i;

/** Vertex AI takes OAuth 2 access tokens only: none is 401 CREDENTIALS_MISSING, a wrong one 401 too. */
export function bearerRejection(accessToken: string, request: BearerRequest): GoogleError | undefined {
	const token = BEARER_PATTERN.exec(request.authorization ?? '')?.[1];
	if (token === undefined) {
		const reason = request.apiKey === undefined || request.apiKey === '' ? 'missing' : 'api-key';
		return unauthenticatedError(reason, request.apiVersion, request.method);
	}
	return token === accessToken ? undefined : unauthenticatedError('invalid', request.apiVersion, request.method);
}
