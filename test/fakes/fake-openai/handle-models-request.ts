import type { IncomingMessage } from 'node:http';
import { apiKeyRejection } from './api-key-rejection.js';
import type { Exchange } from './exchange.js';
import type { FakeOpenAiState } from './fake-openai-state.js';
import { modelObject } from './model-catalog.js';
import { modelNotFoundError, openAiError } from './openai-error.js';
import { headersOf } from './record-chat-request.js';

export type ModelsRequest = {
	state: FakeOpenAiState;
	exchange: Exchange;
	request: IncomingMessage;
	path: string;
	/** The id of `GET /models/{id}`; undefined for the list. */
	model: string | undefined;
	receivedAt: number;
};

/** `GET /models` and `GET /models/{id}`: recorded, then the outage (if any), the key check, and the catalog. */
export async function handleModelsRequest(models: ModelsRequest): Promise<void> {
	const { state, exchange, request, path, model, receivedAt } = models;
	state.modelsRequests.push({ method: request.method ?? 'GET', path, model, headers: headersOf(request), receivedAt });
	switch (state.modelsOutage) {
		case 'unavailable':
			exchange.sendError(
				openAiError(503, { message: 'The server is overloaded or not ready yet.', type: 'server_error' }),
			);
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
	const rejection = apiKeyRejection(state, request);
	if (rejection !== undefined) {
		exchange.sendError(rejection);
		return;
	}
	if (model === undefined) {
		exchange.sendJson(200, { object: 'list', data: state.models.map(modelObject) });
		return;
	}
	const found = state.models.find((known) => known.id === model);
	if (found === undefined) exchange.sendError(modelNotFoundError(model));
	else exchange.sendJson(200, modelObject(found));
}
