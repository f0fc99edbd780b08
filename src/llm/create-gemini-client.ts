import { GoogleGenAI } from '@google/genai';

// apiVersion is pinned so that SDK upgrades (3.x defaults to v1) do not silently change the API surface.
export const GEMINI_API_VERSION = 'v1beta';

export function createGeminiClient(options: { apiKey: string; baseUrl: string | undefined }): GoogleGenAI {
	return new GoogleGenAI({
		apiKey: options.apiKey,
		httpOptions: {
			apiVersion: GEMINI_API_VERSION,
			...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
		},
	});
}
