import type { GeminiAction, VertexScope } from './types.js';

export type GeminiRoute = {
	apiVersion: string;
	/** Bare name for `models/x` ('x'), full name for tuned models ('tunedModels/x'); bare on Vertex AI. */
	model: string;
	action: GeminiAction;
	/** Set on Vertex AI routes. */
	vertex: VertexScope | undefined;
};

const ROUTE_PATTERN =
	/^\/(v1|v1beta|v1alpha)\/(models|tunedModels)\/([^/:]+):(generateContent|streamGenerateContent|countTokens)$/;
// Vertex AI keeps the project and the location in the path, so one base URL can serve every location.
const VERTEX_ROUTE_PATTERN =
	/^\/(v1|v1beta1)\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/google\/models\/([^/:]+):(generateContent|streamGenerateContent|countTokens)$/;

export function parseRoute(pathname: string): GeminiRoute | undefined {
	const vertex = VERTEX_ROUTE_PATTERN.exec(pathname);
	if (vertex !== null) {
		const [, apiVersion = '', project = '', location = '', rawModel = '', action] = vertex;
		const names = decodeAll([project, location, rawModel]);
		if (names === undefined || !isAction(action)) return undefined;
		const [projectName = '', locationName = '', model = ''] = names;
		return { apiVersion, model, action, vertex: { project: projectName, location: locationName } };
	}
	const match = ROUTE_PATTERN.exec(pathname);
	if (match === null) return undefined;
	const [, apiVersion = '', collection = '', rawModel = '', action] = match;
	const name = decodeAll([rawModel])?.[0];
	if (name === undefined || !isAction(action)) return undefined;
	return { apiVersion, model: collection === 'models' ? name : `${collection}/${name}`, action, vertex: undefined };
}

/**
 * `GET /{version}/models` (models.list) or `GET /{version}/models/{name}` (models.get); on Vertex AI (`vertex: true`)
 * `GET /{v1|v1beta1}/publishers/google/models[/{name}]`, which is what the SDK sends for base models.
 */
export type ModelsRoute = { apiVersion: string; vertex: boolean } & ({ kind: 'list' } | { kind: 'get'; model: string });

const MODELS_PATTERN = /^\/(v1|v1beta|v1alpha)\/models(?:\/([^/:]+))?\/?$/;
const VERTEX_MODELS_PATTERN = /^\/(v1|v1beta1)\/publishers\/google\/models(?:\/([^/:]+))?\/?$/;

export function parseModelsRoute(pathname: string): ModelsRoute | undefined {
	const vertexMatch = VERTEX_MODELS_PATTERN.exec(pathname);
	const match = vertexMatch ?? MODELS_PATTERN.exec(pathname);
	if (match === null) return undefined;
	const vertex = vertexMatch !== null;
	const [, apiVersion = '', rawModel] = match;
	if (rawModel === undefined) return { apiVersion, vertex, kind: 'list' };
	const model = decodeAll([rawModel])?.[0];
	return model === undefined ? undefined : { apiVersion, vertex, kind: 'get', model };
}

function isAction(action: string | undefined): action is GeminiAction {
	return action === 'generateContent' || action === 'streamGenerateContent' || action === 'countTokens';
}

function decodeAll(parts: readonly string[]): string[] | undefined {
	try {
		return parts.map((part) => decodeURIComponent(part));
	} catch {
		return undefined;
	}
}
