import type { IncomingMessage } from 'node:http';
import { apiKeyRejection } from './api-key-rejection.js';
import { bearerRejection } from './bearer-rejection.js';
import type { FakeGeminiState } from './fake-gemini-state.js';
import type { GoogleError } from './google-error.js';

export type AuthenticationScope = {
	vertex: boolean;
	apiVersion: string;
	/** The Vertex AI RPC, for the ErrorInfo of a 401: 'PredictionService.GenerateContent', ... */
	method: string;
};

/** The Developer API checks the API key; Vertex AI wants the Bearer token and rejects API keys. */
export function authenticationRejection(
	state: FakeGeminiState,
	request: IncomingMessage,
	url: URL,
	scope: AuthenticationScope,
): GoogleError | undefined {
	const headerKey = request.headers['x-goog-api-key'];
	if (!scope.vertex) return apiKeyRejection(state, url, headerKey);
	const authorization = request.headers.authorization;
	return bearerRejection(state.accessToken, {
		authorization,
		apiKey: (typeof headerKey === 'string' ? headerKey : undefined) ?? url.searchParams.get('key') ?? undefined,
		apiVersion: scope.apiVersion,
		method: scope.method,
	});
}
