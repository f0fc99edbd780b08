import type { IncomingMessage, ServerResponse } from 'node:http';
import { createExchange } from './exchange.js';
import type { FakeOpenAiState } from './fake-openai-state.js';
import { handleChatRequest } from './handle-chat-request.js';
import { handleModelsRequest } from './handle-models-request.js';
import { invalidUrlError } from './openai-error.js';
import { parseRoute } from './parse-route.js';

/** Reads the body, then hands the request to the chat or models handler; anything else is OpenAI's 404. */
export async function handleRequest(
	state: FakeOpenAiState,
	request: IncomingMessage,
	response: ServerResponse,
): Promise<void> {
	const receivedAt = Date.now();
	const exchange = createExchange(state, request, response);
	const { pathname } = new URL(request.url ?? '/', 'http://127.0.0.1');
	const method = request.method ?? 'GET';
	const rawBody = await readBody(request);
	const route = parseRoute(method, pathname);
	if (route === undefined) {
		exchange.sendError(invalidUrlError(method, pathname));
		return;
	}
	if (route.kind === 'models') {
		await handleModelsRequest({ state, exchange, request, path: pathname, model: route.model, receivedAt });
		return;
	}
	await handleChatRequest({ state, exchange, request, path: pathname, rawBody, receivedAt });
}

async function readBody(request: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}
