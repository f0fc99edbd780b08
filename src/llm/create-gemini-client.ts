import { GoogleGenAI } from '@google/genai';
import type { GeminiProvider } from '../config/config.js';

// apiVersion is pinned so that SDK upgrades (3.x defaults to v1) do not silently change the API surface.
export const GEMINI_API_VERSION = 'v1beta';
// Vertex AI's own surface for the same features (v1beta1 has what v1beta has on the Gemini API).
export const VERTEX_API_VERSION = 'v1beta1';

/** One Gemini client per place calls can go: the Gemini API, or each Vertex AI location. */
export type GeminiClients = {
	/** The client for a Vertex location (a lane's `@location`), or the only one. */
	clientFor(location: string | undefined): GoogleGenAI;
	/** Vertex AI locations in the order configured; empty on the Gemini API. */
	readonly locations: readonly string[];
};

export function createGeminiClients(provider: GeminiProvider): GeminiClients {
	if (provider.kind === 'developer') {
		const client = createGeminiClient({ apiKey: provider.apiKey, baseUrl: provider.baseUrl });
		return { clientFor: () => client, locations: [] };
	}
	const clients = new Map(
		provider.locations.map((location) => [
			location,
			// Credentials are Application Default Credentials, which the SDK resolves itself (a service-account file
			// in GOOGLE_APPLICATION_CREDENTIALS, a gcloud login, or the metadata server on Google Cloud).
			new GoogleGenAI({
				vertexai: true,
				project: provider.project,
				location,
				httpOptions: {
					apiVersion: VERTEX_API_VERSION,
					...(provider.baseUrl === undefined ? {} : { baseUrl: provider.baseUrl }),
				},
			}),
		]),
	);
	const first = provider.locations[0] ?? 'global';
	return {
		clientFor(location) {
			const client = clients.get(location ?? first) ?? clients.get(first);
			if (!client) throw new Error(`No Vertex AI client for location ${location ?? first}`);
			return client;
		},
		locations: provider.locations,
	};
}

export function createGeminiClient(options: { apiKey: string; baseUrl: string | undefined }): GoogleGenAI {
	return new GoogleGenAI({
		apiKey: options.apiKey,
		httpOptions: {
			apiVersion: GEMINI_API_VERSION,
			...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
		},
	});
}
