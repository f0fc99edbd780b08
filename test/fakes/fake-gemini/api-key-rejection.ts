import type { FakeGeminiState } from './fake-gemini-state.js';
import { invalidApiKeyError, missingApiKeyError } from './google-error.js';
import type { GoogleError } from './google-error.js';

/** The key arrives as `x-goog-api-key` (the SDK's way) or `?key=`: missing is 403, wrong is 400 API_KEY_INVALID. */
export function apiKeyRejection(
	state: FakeGeminiState,
	url: URL,
	headerKey: string | string[] | undefined,
): GoogleError | undefined {
	const apiKey = (typeof headerKey === 'string' ? headerKey : undefined) ?? url.searchParams.get('key') ?? undefined;
	if (apiKey === undefined || apiKey === '') return missingApiKeyError();
	if (apiKey !== state.apiKey) return invalidApiKeyError();
	return undefined;
}
