import type { GoogleGenAI, Model } from '@google/genai';
import type { CatalogModel, ModelCatalog } from './check-models.js';
import { toModelError } from './model-error.js';

// Google serves at most 1,000 models per page, so one request lists everything there is today.
const LIST_PAGE_SIZE = 1_000;

/** ModelCatalog over `models.get` and the paged `models.list`; failures come out as ModelErrors. */
export function createGeminiModelCatalog({
	client,
	pageSize = LIST_PAGE_SIZE,
}: {
	client: GoogleGenAI;
	pageSize?: number;
}): ModelCatalog {
	return {
		async get(name, signal) {
			// The SDK throws a plain Error for these before sending anything; no model is named like that.
			if (name === '' || name.includes('..') || name.includes('?') || name.includes('&')) return undefined;
			try {
				return toCatalogModel(await client.models.get({ model: name, config: { abortSignal: signal } }));
			} catch (error) {
				const failure = toModelError(error);
				if (failure.kind === 'model-not-found') return undefined;
				throw failure;
			}
		},
		async list(signal) {
			try {
				const pager = await client.models.list({ config: { pageSize, abortSignal: signal } });
				const models: CatalogModel[] = [];
				for await (const model of pager) models.push(toCatalogModel(model));
				return models;
			} catch (error) {
				throw toModelError(error);
			}
		},
	};
}

function toCatalogModel(model: Model): CatalogModel {
	const actions = model.supportedActions;
	return { name: model.name ?? '', canGenerate: actions === undefined || actions.includes('generateContent') };
}
