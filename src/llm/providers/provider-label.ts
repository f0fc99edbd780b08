/** How replies name the provider behind a model, and what an admin fixes when it refuses the bot. */
export type ProviderLabel = {
	/** `Gemini`, `OpenAI`, or an endpoint's name (`ollama`). */
	readonly name: string;
	/** The setting (or credentials) to check when the provider rejects the bot. */
	readonly credentials: string;
};

export const GEMINI_LABEL: ProviderLabel = { name: 'Gemini', credentials: 'GEMINI_API_KEY' };
export const VERTEX_LABEL: ProviderLabel = {
	name: 'Gemini',
	credentials: "the Vertex AI credentials (GOOGLE_APPLICATION_CREDENTIALS or the service account's roles)",
};
