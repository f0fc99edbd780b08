import type { GeminiAction } from './types.js';

export type GeminiRoute = {
	apiVersion: string;
	/** Bare name for `models/x` ('x'), full name for tuned models ('tunedModels/x'). */
	model: string;
	action: GeminiAction;
};

const ROUTE_PATTERN =
	/^\/(v1|v1beta|v1alpha)\/(models|tunedModels)\/([^/:]+):(generateContent|streamGenerateContent|countTokens)$/;

export function parseRoute(pathname: string): GeminiRoute | undefined {
	const match = ROUTE_PATTERN.exec(pathname);
	if (match === null) return undefined;
	const [, apiVersion = '', collection = '', rawModel = '', action] = match;
	let name: string;
	try {
		name = decodeURIComponent(rawModel);
	} catch {
		return undefined;
	}
	if (action !== 'generateContent' && action !== 'streamGenerateContent' && action !== 'countTokens') return undefined;
	return { apiVersion, model: collection === 'models' ? name : `${collection}/${name}`, action };
}

/** `GET /{version}/models` (models.list) or `GET /{version}/models/{name}` (models.get). */
export type ModelsRoute = { apiVersion: string; kind: 'list' } | { apiVersion: string; kind: 'get'; model: string };

const MODELS_PATTERN = /^\/(v1|v1beta|v1alpha)\/models(?:\/([^/:]+))?\/?$/;

export function parseModelsRoute(pathname: string): ModelsRoute | undefined {
	const match = MODELS_PATTERN.exec(pathname);
	if (match === null) return undefined;
	const [, apiVersion = '', rawModel] = match;
	if (rawModel === undefined) return { apiVersion, kind: 'list' };
	try {
		return { apiVersion, kind: 'get', model: decodeURIComponent(rawModel) };
	} catch {
		return undefined;
	}
}
