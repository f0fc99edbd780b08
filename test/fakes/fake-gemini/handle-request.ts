import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResponseContext } from './build-response.js';
import { echoScenario } from './echo-scenario.js';
import { createExchange } from './exchange.js';
import type { Exchange } from './exchange.js';
import type { FakeGeminiState } from './fake-gemini-state.js';
import { authenticationRejection } from './authentication-rejection.js';
import { googleError, invalidArgument, modelNotFoundError } from './google-error.js';
import type { GoogleError } from './google-error.js';
import { isRecord } from './is-record.js';
import { handleModelsRequest } from './handle-models-request.js';
import { parseModelsRoute, parseRoute } from './parse-route.js';
import type { GeminiRoute } from './parse-route.js';
import { playStreamScenario } from './play-stream-scenario.js';
import { playUnaryScenario } from './play-unary-scenario.js';
import { estimatePromptTokens } from './prompt-tokens.js';
import { rateLimitRejection } from './rate-limit-rejection.js';
import { recordRequest } from './record-request.js';
import { validateRequest } from './validate-request.js';
import { createResponseContext } from './create-response-context.js';
import type { GeminiScenario } from './types.js';
import { predictionMethod, publisherModelNotFoundError } from './vertex-error.js';
import { vertexScenario } from './vertex-scenario.js';

type ParsedBody = { ok: true; value: unknown } | { ok: false; raw: string };

/** Routes, authenticates, validates and records one request, then plays the next scenario on it. */
export async function handleRequest(
	state: FakeGeminiState,
	request: IncomingMessage,
	response: ServerResponse,
): Promise<void> {
	const receivedAt = Date.now();
	const exchange = createExchange(state, request, response);
	const url = new URL(request.url ?? '/', 'http://127.0.0.1');
	const body = parseBody(await readBody(request));
	const modelsRoute = request.method === 'GET' ? parseModelsRoute(url.pathname) : undefined;
	if (modelsRoute !== undefined) {
		await handleModelsRequest({ state, exchange, request, url, route: modelsRoute, receivedAt });
		return;
	}
	const route = parseRoute(url.pathname);
	if (route === undefined || request.method !== 'POST') {
		exchange.sendError(googleError(404, `Method not found: ${request.method ?? ''} ${url.pathname}`), 'json');
		return;
	}
	const recordBody = body.ok ? body.value : body.raw;
	const record = recordRequest({ request, url, route, body: recordBody, receivedAt });
	state.record(record);
	const stream = route.action === 'streamGenerateContent';
	const rejection = rejectionOf(state, request, url, route, body);
	if (rejection !== undefined) {
		exchange.sendError(rejection, stream ? 'event-stream' : 'json');
		return;
	}
	if (route.action === 'countTokens') {
		const totalTokens = estimatePromptTokens(countedContents(recordBody));
		exchange.sendJson(200, { totalTokens, promptTokensDetails: [{ modality: 'TEXT', tokenCount: totalTokens }] });
		return;
	}
	// A failed location answers before the quota is counted: the request never reached a model.
	const locationFailure = route.vertex === undefined ? undefined : state.failedLocations.get(route.vertex.location);
	const limited = locationFailure === undefined ? rateLimitRejection(state, route) : undefined;
	if (limited !== undefined) {
		exchange.sendError(limited, stream ? 'event-stream' : 'json');
		return;
	}
	const scenario = locationFailure ?? state.queue.shift() ?? state.responder?.(record) ?? echoScenario(record);
	await playScenario(
		exchange,
		route.vertex === undefined ? scenario : vertexScenario(scenario),
		createResponseContext(route.model, recordBody),
		stream,
		state.defaultChunkDelayMs,
	);
}

function rejectionOf(
	state: FakeGeminiState,
	request: IncomingMessage,
	url: URL,
	route: GeminiRoute,
	body: ParsedBody,
): GoogleError | undefined {
	const { apiVersion, vertex } = route;
	const scope = { vertex: vertex !== undefined, apiVersion, method: predictionMethod(route.action) };
	const authRejection = authenticationRejection(state, request, url, scope);
	if (authRejection !== undefined) return authRejection;
	if (route.action === 'streamGenerateContent' && url.searchParams.get('alt') !== 'sse') {
		return invalidArgument(`Invalid value at 'alt': streamGenerateContent requires alt=sse in this fake.`);
	}
	if (!body.ok) return invalidArgument(`Invalid JSON payload received. Unexpected token.\n${body.raw.slice(0, 80)}`);
	if (route.model.startsWith('nonexistent')) {
		return vertex === undefined
			? modelNotFoundError(route.model, apiVersion, route.action)
			: publisherModelNotFoundError(vertex.project, vertex.location, route.model);
	}
	const message =
		route.action === 'countTokens'
			? validateRequest(countTokensTarget(body.value), 'CountTokensRequest', route.model)
			: validateRequest(body.value, 'GenerateContentRequest', route.model);
	return message === undefined ? undefined : invalidArgument(message);
}

function playScenario(
	exchange: Exchange,
	scenario: GeminiScenario,
	context: ResponseContext,
	stream: boolean,
	defaultChunkDelayMs: number,
): Promise<void> {
	return stream
		? playStreamScenario(exchange, scenario, context, defaultChunkDelayMs)
		: playUnaryScenario(exchange, scenario, context, defaultChunkDelayMs);
}

function countTokensTarget(body: unknown): unknown {
	return isRecord(body) && isRecord(body.generateContentRequest) ? body.generateContentRequest : body;
}

function countedContents(body: unknown): unknown {
	const target = countTokensTarget(body);
	return isRecord(target) ? target.contents : undefined;
}

function parseBody(raw: string): ParsedBody {
	if (raw === '') return { ok: true, value: undefined };
	try {
		return { ok: true, value: JSON.parse(raw) as unknown };
	} catch {
		return { ok: false, raw };
	}
}

async function readBody(request: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}
