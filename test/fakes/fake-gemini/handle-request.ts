import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResponseContext } from './build-response.js';
import { echoScenario } from './echo-scenario.js';
import { createExchange } from './exchange.js';
import type { Exchange } from './exchange.js';
import type { FakeGeminiState } from './fake-gemini-state.js';
import { apiKeyRejection } from './api-key-rejection.js';
import { googleError, invalidArgument, modelNotFoundError } from './google-error.js';
import type { GoogleError } from './google-error.js';
import { isRecord } from './is-record.js';
import { handleModelsRequest } from './handle-models-request.js';
import { parseModelsRoute, parseRoute } from './parse-route.js';
import type { GeminiRoute } from './parse-route.js';
import { playStreamScenario } from './play-stream-scenario.js';
import { playUnaryScenario } from './play-unary-scenario.js';
import { estimatePromptTokens } from './prompt-tokens.js';
import { formatRetryDelay, PER_MINUTE_QUOTA_ID, quotaError } from './quota-error.js';
import { recordRequest } from './record-request.js';
import { validateRequest } from './validate-request.js';
import { createResponseContext } from './create-response-context.js';
import type { GeminiScenario } from './types.js';

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
	const rejection = rejectionOf(state, url, route, body, request.headers['x-goog-api-key']);
	if (rejection !== undefined) {
		exchange.sendError(rejection, stream ? 'event-stream' : 'json');
		return;
	}
	if (route.action === 'countTokens') {
		const totalTokens = estimatePromptTokens(countedContents(recordBody));
		exchange.sendJson(200, { totalTokens, promptTokensDetails: [{ modality: 'TEXT', tokenCount: totalTokens }] });
		return;
	}
	const waitMs = state.limiter.take(route.model, Date.now());
	if (waitMs !== undefined) {
		exchange.sendError(rateLimitError(route.model, state.limiter.limit ?? 0, waitMs), stream ? 'event-stream' : 'json');
		return;
	}
	const scenario = state.queue.shift() ?? state.responder?.(record) ?? echoScenario(record);
	await playScenario(
		exchange,
		scenario,
		createResponseContext(route.model, recordBody),
		stream,
		state.defaultChunkDelayMs,
	);
}

function rejectionOf(
	state: FakeGeminiState,
	url: URL,
	route: GeminiRoute,
	body: ParsedBody,
	headerKey: string | string[] | undefined,
): GoogleError | undefined {
	const keyRejection = apiKeyRejection(state, url, headerKey);
	if (keyRejection !== undefined) return keyRejection;
	if (route.action === 'streamGenerateContent' && url.searchParams.get('alt') !== 'sse') {
		return invalidArgument(`Invalid value at 'alt': streamGenerateContent requires alt=sse in this fake.`);
	}
	if (!body.ok) return invalidArgument(`Invalid JSON payload received. Unexpected token.\n${body.raw.slice(0, 80)}`);
	if (route.model.startsWith('nonexistent')) return modelNotFoundError(route.model, route.apiVersion, route.action);
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

function rateLimitError(model: string, limit: number, waitMs: number): GoogleError {
	const retryDelay = Number.isFinite(waitMs) ? formatRetryDelay(waitMs) : undefined;
	return quotaError({ model, quotaId: PER_MINUTE_QUOTA_ID, limit, retryDelay });
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
