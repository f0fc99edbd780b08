/**
 * Where a model name points. Gemini models are plain names (`gemini-2.5-flash`); on Vertex AI a queue lane adds its
 * location (`gemini-2.5-flash@europe-west4`). A model of an OpenAI-compatible endpoint is named after the endpoint
 * (`openai/gpt-4o-mini`, `ollama/llama3.2`, `openrouter/anthropic/claude-3.5-haiku`): everything after the first
 * slash is the endpoint's own model id.
 */
export type ModelAddress =
	| { readonly provider: 'gemini'; readonly model: string; readonly location: string | undefined }
	| { readonly provider: 'openai'; readonly endpoint: string; readonly model: string };

/** Reads model names against the configured endpoint names. */
export type ModelAddressBook = {
	parse(name: string): ModelAddress;
	/** The model a queue lane runs (the name without its `@location`). */
	modelOf(lane: string): string;
	/** The Vertex location of a queue lane, if it has one. */
	locationOf(lane: string): string | undefined;
};

export function createModelAddressBook(endpointNames: readonly string[]): ModelAddressBook {
	const endpoints = new Set(endpointNames);
	const parse = (name: string): ModelAddress => {
		const slash = name.indexOf('/');
		const prefix = slash === -1 ? undefined : name.slice(0, slash);
		if (prefix !== undefined && endpoints.has(prefix)) {
			return { provider: 'openai', endpoint: prefix, model: name.slice(slash + 1) };
		}
		const at = name.lastIndexOf('@');
		return at === -1
			? { provider: 'gemini', model: name, location: undefined }
			: { provider: 'gemini', model: name.slice(0, at), location: name.slice(at + 1) };
	};
	return {
		parse,
		modelOf(lane) {
			const address = parse(lane);
			return address.provider === 'gemini' ? address.model : lane;
		},
		locationOf(lane) {
			const address = parse(lane);
			return address.provider === 'gemini' ? address.location : undefined;
		},
	};
}

/** `model@location`: one Vertex location's queue lane for a model. */
export function laneName(model: string, location: string): string {
	return `${model}@${location}`;
}
