import type OpenAI from 'openai';
import type { CatalogModel, ModelCatalog } from '../check-models.js';
import { toOpenAiModelError } from './openai-error.js';

/** What `GET /models` says of a model beyond its id (OpenRouter lists what a model reads). */
type ListedModel = { id: string; architecture?: { input_modalities?: unknown } };

/**
 * ModelCatalog over an endpoint's `GET /models`, with names as the bot writes them (`ollama/llama3.2`). Many local
 * servers serve no `GET /models/{id}`, so both questions are answered from the list. `textOnly` collects models the
 * endpoint says read no pictures.
 */
export function createOpenAiModelCatalog(options: {
	readonly endpoint: string;
	readonly client: OpenAI;
	readonly textOnly: Set<string>;
}): ModelCatalog {
	let listed: Promise<CatalogModel[]> | undefined;
	const list = (signal: AbortSignal): Promise<CatalogModel[]> => {
		listed ??= (async () => {
			try {
				const models: CatalogModel[] = [];
				for await (const model of options.client.models.list({ signal })) {
					const name = `${options.endpoint}/${model.id}`;
					const inputs = (model as ListedModel).architecture?.input_modalities;
					if (Array.isArray(inputs) && !inputs.includes('image')) options.textOnly.add(name);
					models.push({ name, canGenerate: true });
				}
				return models;
			} catch (error) {
				throw toOpenAiModelError(error, signal);
			}
		})();
		return listed;
	};
	return {
		async get(name, signal) {
			return (await list(signal)).find((model) => model.name === name);
		},
		list,
	};
}
