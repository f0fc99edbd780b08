import type { IncomingMessage } from 'node:http';
import type { FakeOpenAiState } from './fake-openai-state.js';
import { invalidApiKeyError } from './openai-error.js';
import type { HttpFailure } from './openai-error.js';

/** With a key configured, `Authorization: Bearer <key>` must carry exactly it; without one, anything goes. */
export function apiKeyRejection(state: FakeOpenAiState, request: IncomingMessage): HttpFailure | undefined {
	if (state.apiKey === undefined) return undefined;
	const bearer = /^Bearer (.*)$/i.exec(request.headers.authorization ?? '')?.[1];
	return bearer === state.apiKey ? undefined : invalidApiKeyError();
}
