import type { IncomingMessage } from 'node:http';
import { authenticationRejection } from './authentication-rejection.js';
import type { Exchange } from './exchange.js';
import type { FakeGeminiState } from './fake-gemini-state.js';
import { googleError, modelNotFoundError } from './google-error.js';
import { listModelsPage } from './list-models-page.js';
import { bareName, modelResource, publisherModelResource } from './model-catalog.js';
import type { ModelsRoute } from './parse-route.js';
import { headersOf } from './record-request.js';
import { publisherModelGetNotFoundError } from './vertex-error.js';

export type ModelsRequest = {
	state: FakeGeminiState;
	exchange: Exchange;
	request: IncomingMessage;
	url: URL;
	route: ModelsRoute;
	receivedAt: number;
};

/** `models.get` and `models.list`: recorded, then the outage (if any), the key or token check, the catalog's answer. */
export async function handleModelsRequest({
	state,
	exchange,
	request,
	url,
	route,
	receivedAt,
}: ModelsRequest): Promise<void> {
	const model = route.kind === 'get' ? bareName(route.model) : undefined;
	state.modelsRequests.push({
		method: request.method ?? 'GET',
		path: url.pathname,
		apiVersion: route.apiVersion,
		kind: route.kind,
		model,
		query: Object.fromEntries(url.searchParams),
		headers: headersOf(request),
		vertex: route.vertex,
		receivedAt,
	});
	switch (state.modelsOutage) {
		case 'unavailable':
			exchange.sendError(googleError(503, 'The service is currently unavailable.'), 'json');
			return;
		case 'drop':
			exchange.drop();
			return;
		case 'hang':
			await exchange.closed();
			return;
		case undefined:
			break;
	}
	const method = `ModelGardenService.${model === undefined ? 'ListPublisherModels' : 'GetPublisherModel'}`;
	const scope = { vertex: route.vertex, apiVersion: route.apiVersion, method };
	const rejection = authenticationRejection(state, request, url, scope);
	if (rejection !== undefined) {
		exchange.sendError(rejection, 'json');
		return;
	}
	if (model === undefined) {
		const page = listModelsPage(state.models, url.searchParams, route.vertex);
		if (page.ok) exchange.sendJson(200, page.body);
		else exchange.sendError(page.error, 'json');
		return;
	}
	const found = state.models.find((known) => known.name === model);
	if (found !== undefined) {
		exchange.sendJson(200, route.vertex ? publisherModelResource(found) : modelResource(found));
		return;
	}
	// Only the generateContent form of this 404 is recorded (gemini-api.md §7.1); the GET one is assumed the same.
	const notFound = route.vertex
		? publisherModelGetNotFoundError(model)
		: modelNotFoundError(model, route.apiVersion, 'generateContent');
	exchange.sendError(notFound, 'json');
}
