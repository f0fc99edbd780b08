import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { apiKeyRejection } from './api-key-rejection.js';
import { echoScenario } from './echo-scenario.js';
import { rateLimitError } from './error-presets.js';
import type { Exchange } from './exchange.js';
import type { FakeOpenAiState } from './fake-openai-state.js';
import { isDeclaredTextOnly } from './model-catalog.js';
import { badRequest, modelNotFoundError, noImageEndpointsError, unparsableBodyError } from './openai-error.js';
import type { HttpFailure } from './openai-error.js';
import { playStreamScenario } from './play-stream-scenario.js';
import { playUnaryScenario } from './play-unary-scenario.js';
import { rateLimitHeaders } from './rate-limit-headers.js';
import { recordChatRequest } from './record-chat-request.js';
import type { ResponseContext } from './reply-plan.js';
import type { RecordedChatRequest } from './types.js';
import { estimatePromptTokens } from './usage.js';
import { validateChatRequest } from './validate-chat-request.js';

export type ChatRequest = {
	state: FakeOpenAiState;
	exchange: Exchange;
	request: IncomingMessage;
	path: string;
	rawBody: string;
	receivedAt: number;
};

type ParsedBody = { ok: true; value: unknown } | { ok: false };

/** Records, authenticates, validates and rate-limits one chat completion, then plays the next scenario on it. */
export async function handleChatRequest(chat: ChatRequest): Promise<void> {
	const { state, exchange, request, path, rawBody, receivedAt } = chat;
	const body = parseBody(rawBody);
	const record = recordChatRequest({ request, path, body: body.ok ? body.value : rawBody, receivedAt });
	state.record(record);
	const rejection = rejectionOf(state, request, body, record);
	if (rejection !== undefined) {
		exchange.sendError(rejection);
		return;
	}
	const model = record.model ?? '';
	const decision = state.limiter.take(model, Date.now());
	if (decision?.allowed === false) {
		exchange.sendError(rateLimitError({ model, limit: decision.limit, retryAfterMs: decision.waitMs }));
		return;
	}
	if (decision?.allowed === true) exchange.addHeaders(rateLimitHeaders(decision));
	const scenario = state.queue.shift() ?? state.responder?.(record) ?? echoScenario(record);
	const context = responseContext(record, model);
	await (record.stream
		? playStreamScenario(exchange, scenario, context, state.defaultChunkDelayMs)
		: playUnaryScenario(exchange, scenario, context, state.defaultChunkDelayMs));
}

/** In OpenAI's order: key, JSON, shape, then the model. */
function rejectionOf(
	state: FakeOpenAiState,
	request: IncomingMessage,
	body: ParsedBody,
	record: RecordedChatRequest,
): HttpFailure | undefined {
	const keyRejection = apiKeyRejection(state, request);
	if (keyRejection !== undefined) return keyRejection;
	if (!body.ok) return unparsableBodyError();
	const problem = validateChatRequest(body.value);
	if (problem !== undefined) return badRequest(problem);
	const model = record.model ?? '';
	if (model.startsWith('nonexistent')) return modelNotFoundError(model);
	const hasImages = record.images.length + record.imageUrls.length > 0;
	if (hasImages && isDeclaredTextOnly(state.models, model)) return noImageEndpointsError();
	return undefined;
}

function responseContext(record: RecordedChatRequest, model: string): ResponseContext {
	return {
		id: `chatcmpl-${randomBytes(15).toString('base64url')}`,
		created: Math.floor(Date.now() / 1_000),
		model,
		includeUsage: record.includeUsage,
		promptTokens: estimatePromptTokens(record),
	};
}

function parseBody(raw: string): ParsedBody {
	try {
		return { ok: true, value: JSON.parse(raw) as unknown };
	} catch {
		return { ok: false };
	}
}
