import type { IncomingMessage } from 'node:http';
import { apiKeyRejection } from './api-key-rejection.js';
import type { Exchange } from './exchange.js';
import type { FakeGeminiState } from './fake-gemini-state.js';
import { googleError, modelNotFoundError } from './google-error.js';
import { listModelsPage } from './list-models-page.js';
import { bareName, modelResource } from './model-catalog.js';
import type { ModelsRoute } from './parse-route.js';
import { headersOf } from './record-request.js';

export type ModelsRequest = {
	state: FakeGeminiState;
	exchange: Exchange;
	request: IncomingMessage;
	url: URL;
	route: ModelsRoute;
	receivedAt: number;
};

/** `models.get` and `models.list`: recorded, then the outage (if any), the key check, and the catalog's answer. */
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
	const rejection = apiKeyRejection(state, url, request.headers['x-goog-api-key']);
	if (rejection !== undefined) {
		exchange.sendError(rejection, 'json');
		return;
	}
	if (model === undefined) {
		const page = listModelsPage(state.models, url.searchParams);
		if (page.ok) exchange.sendJson(200, page.body);
		else exchange.sendError(page.error, 'json');
		return;
	}
	const found = state.models.find((known) => known.name === model);
	// Only the generateContent form of this 404 is recorded (gemini-api.md §7.1); the GET one is assumed the same.
	if (found === undefined) exchange.sendError(modelNotFoundError(model, route.apiVersion, 'generateContent'), 'json');
	else exchange.sendJson(200, modelResource(found));
}
