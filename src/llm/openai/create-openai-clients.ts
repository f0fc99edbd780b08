import OpenAI from 'openai';
import type { ChatEndpoint } from '../../config/config.js';
import { OPENAI_API_BASE } from '../../config/parse-providers.js';

/** One `openai` client per configured endpoint, made when first used. */
export type OpenAiClients = {
	clientFor(endpoint: string): OpenAI;
	/** OpenAI's own API takes `max_completion_tokens` (its reasoning models refuse `max_tokens`); others `max_tokens`. */
	usesMaxCompletionTokens(endpoint: string): boolean;
};

export function createOpenAiClients(endpoints: readonly ChatEndpoint[]): OpenAiClients {
	const byName = new Map(endpoints.map((endpoint) => [endpoint.name, endpoint]));
	const clients = new Map<string, OpenAI>();
	const endpointOf = (name: string): ChatEndpoint => {
		const endpoint = byName.get(name);
		if (!endpoint) throw new Error(`No OpenAI-compatible endpoint named ${name}`);
		return endpoint;
	};
	return {
		clientFor(name) {
			let client = clients.get(name);
			if (!client) {
				const endpoint = endpointOf(name);
				client = new OpenAI({
					// Local servers take any key; the client refuses to start without one.
					apiKey: endpoint.apiKey ?? 'not-needed',
					baseURL: endpoint.baseUrl,
					// The queue owns retries (with fallbacks and hold-offs); the client's own would double them.
					maxRetries: 0,
				});
				clients.set(name, client);
			}
			return client;
		},
		usesMaxCompletionTokens: (name) => endpointOf(name).baseUrl.replace(/\/$/, '') === OPENAI_API_BASE,
	};
}
