import { createModelAddressBook } from './model-address.js';
import type { EnvReader } from './env-reader.js';

/** Where Gemini models run: the Gemini API with an API key, or Vertex AI in one or more locations. */
export type GeminiProvider =
	| { readonly kind: 'developer'; readonly apiKey: string; readonly baseUrl: string | undefined }
	| {
			readonly kind: 'vertex';
			readonly project: string;
			/** Calls spread over these; a location that answers 429 or is overloaded passes its calls to the next. */
			readonly locations: readonly string[];
			readonly baseUrl: string | undefined;
	  };

/** An OpenAI-compatible chat-completions endpoint; its models are named `<name>/<model id>`. */
export type ChatEndpoint = {
	readonly name: string;
	readonly baseUrl: string;
	/** Optional: local servers (Ollama, LM Studio, vLLM) take any key or none. Secret. */
	readonly apiKey: string | undefined;
};

export type Providers = {
	/** undefined: no Gemini at all (then pictures cannot be drawn, and Gemini-only settings say so). */
	readonly gemini: GeminiProvider | undefined;
	readonly endpoints: readonly ChatEndpoint[];
};

/** A model name as the owner configured it, with the setting that names it (for problem lines). */
export type NamedModel = { readonly setting: string; readonly name: string };

export const OPENAI_API_BASE = 'https://api.openai.com/v1';
const ENDPOINT_NAME = /^[a-z][a-z0-9-]{0,30}$/;
// Gemini's own resource names, which contain a slash too: never endpoint names.
const GEMINI_PREFIXES = ['models', 'tunedModels'];
const LOCATION = /^[a-z][a-z0-9-]{1,40}$/;

/** The settings of every model provider: Gemini (API key or Vertex AI) and OpenAI-compatible endpoints. */
export function parseProviders(read: EnvReader, chatModels: readonly NamedModel[]): Providers {
	const endpoints = [openAiEndpoint(read), ...extraEndpoints(read)];
	const book = createModelAddressBook(endpoints.map((endpoint) => endpoint.name));
	let geminiInUse = false;
	const inUse = new Set<string>();
	for (const { setting, name } of chatModels) {
		const address = book.parse(name);
		if (address.provider === 'openai') {
			inUse.add(address.endpoint);
			continue;
		}
		geminiInUse = true;
		const prefix = name.includes('/') ? name.slice(0, name.indexOf('/')) : undefined;
		if (prefix !== undefined && !GEMINI_PREFIXES.includes(prefix)) {
			read.problem(
				`${setting} "${name}" names the endpoint "${prefix}", which is not configured: add ${prefix} to OPENAI_COMPATIBLE and set ${envName(prefix)}_BASE_URL`,
			);
		}
	}
	const openai = endpoints[0];
	if (openai && inUse.has('openai') && openai.baseUrl === OPENAI_API_BASE && openai.apiKey === undefined) {
		read.problem(
			"OPENAI_API_KEY is required for OpenAI's API (https://platform.openai.com/api-keys); for a local server set OPENAI_BASE_URL to it instead",
		);
	}
	return { gemini: geminiProvider(read, geminiInUse), endpoints };
}

function openAiEndpoint(read: EnvReader): ChatEndpoint {
	return {
		name: 'openai',
		baseUrl: read.url('OPENAI_BASE_URL') ?? OPENAI_API_BASE,
		apiKey: read.text('OPENAI_API_KEY'),
	};
}

/** OPENAI_COMPATIBLE=ollama,openrouter: each with <NAME>_BASE_URL (required) and <NAME>_API_KEY (optional). */
function extraEndpoints(read: EnvReader): ChatEndpoint[] {
	return [...new Set(read.list('OPENAI_COMPATIBLE').map((name) => name.toLowerCase()))].flatMap((name) => {
		if (!ENDPOINT_NAME.test(name) || name === 'openai' || GEMINI_PREFIXES.includes(name)) {
			read.problem(
				`OPENAI_COMPATIBLE must list endpoint names such as ollama or openrouter (letters, digits and dashes; not openai, which is always there), got "${name}"`,
			);
			return [];
		}
		const baseUrl = read.url(`${envName(name)}_BASE_URL`);
		if (baseUrl === undefined) {
			read.problem(
				`${envName(name)}_BASE_URL is required because OPENAI_COMPATIBLE names ${name}: its chat-completions URL, such as http://localhost:11434/v1 for Ollama`,
			);
			return [];
		}
		return [{ name, baseUrl, apiKey: read.text(`${envName(name)}_API_KEY`) }];
	});
}

function geminiProvider(read: EnvReader, inUse: boolean): GeminiProvider | undefined {
	const baseUrl = read.url('GEMINI_BASE_URL');
	if (read.flag('GOOGLE_GENAI_USE_VERTEXAI', false)) {
		const project = read.text('GOOGLE_CLOUD_PROJECT');
		if (project === undefined) {
			read.problem('GOOGLE_CLOUD_PROJECT is required with GOOGLE_GENAI_USE_VERTEXAI=true: the Google Cloud project id');
		}
		const named = read.list('VERTEX_LOCATIONS');
		const locations = named.length > 0 ? named : [read.text('GOOGLE_CLOUD_LOCATION') ?? 'global'];
		for (const location of locations) {
			if (!LOCATION.test(location)) {
				read.problem(`VERTEX_LOCATIONS must list locations such as global or us-central1, got "${location}"`);
			}
		}
		return { kind: 'vertex', project: project ?? '', locations: [...new Set(locations)], baseUrl };
	}
	const apiKey = read.text('GEMINI_API_KEY');
	if (apiKey !== undefined) return { kind: 'developer', apiKey, baseUrl };
	if (inUse) {
		read.problem(
			'GEMINI_API_KEY is required for Gemini models: an API key from https://aistudio.google.com/apikey (or set GOOGLE_GENAI_USE_VERTEXAI=true for Vertex AI, or name an openai/ model in MODEL)',
		);
	}
	return undefined;
}

/** `open-router` → `OPEN_ROUTER`, the prefix of its settings. */
export function envName(endpoint: string): string {
	return endpoint.toUpperCase().replaceAll('-', '_');
}
