import { buildBlockedResponse, buildUnaryResponse } from './build-response.js';
import type { ResponseContext } from './build-response.js';
import type { Exchange } from './exchange.js';
import { googleError } from './google-error.js';
import { imageChunkDelayOf, imagePlanOf } from './image-plan.js';
import { replyPlanOf } from './reply-plan.js';
import { perDayError, scenarioError } from './scenario-error.js';
import type { GeminiScenario } from './types.js';
import { resourceExhaustedError } from './vertex-error.js';

const JSON_CONTENT_TYPE = 'application/json; charset=UTF-8';

/** Plays one scenario on a unary `:generateContent` request: the whole outcome in one JSON response. */
export async function playUnaryScenario(
	exchange: Exchange,
	scenario: GeminiScenario,
	context: ResponseContext,
	defaultChunkDelayMs: number,
): Promise<void> {
	// Generation time: one chunk delay per chunk, as if the stream had been buffered.
	const generate = (chunks: readonly string[], chunkDelayMs: number | undefined) =>
		exchange.pause((chunkDelayMs ?? defaultChunkDelayMs) * Math.max(1, chunks.length));
	switch (scenario.kind) {
		case 'reply': {
			await generate(scenario.chunks, scenario.chunkDelayMs);
			exchange.sendJson(200, buildUnaryResponse(context, replyPlanOf(scenario)));
			return;
		}
		case 'image':
		case 'text-only':
		case 'thoughts-only': {
			const plan = imagePlanOf(scenario);
			await generate(plan.chunks, imageChunkDelayOf(scenario));
			exchange.sendJson(200, buildUnaryResponse(context, plan));
			return;
		}
		case 'http-error':
			exchange.sendError(scenarioError(scenario, context.model), scenario.errorContentType ?? 'json');
			return;
		case 'per-day-429':
			exchange.sendError(perDayError(context.model), 'json');
			return;
		case 'resource-exhausted':
			exchange.sendError(
				resourceExhaustedError(scenario.message, scenario.retryDelay),
				scenario.errorContentType ?? 'json',
			);
			return;
		case 'sse-error-after':
			await generate(scenario.chunks, scenario.chunkDelayMs);
			exchange.sendError(googleError(scenario.status ?? 503), 'json');
			return;
		case 'drop-after': {
			const body = JSON.stringify(buildUnaryResponse(context, { chunks: scenario.chunks, finishReason: 'STOP' }));
			exchange.startBody(JSON_CONTENT_TYPE, body.slice(0, Math.floor(body.length / 2)));
			await generate(scenario.chunks, scenario.chunkDelayMs);
			exchange.drop();
			return;
		}
		case 'hang-after':
			await exchange.closed();
			return;
		case 'no-finish':
			await generate(scenario.chunks, scenario.chunkDelayMs);
			exchange.sendJson(200, buildUnaryResponse(context, { chunks: scenario.chunks, finishReason: undefined }));
			return;
		case 'blocked-prompt':
			exchange.sendJson(200, buildBlockedResponse(context, scenario.blockReason ?? 'SAFETY'));
			return;
		case 'malformed':
			exchange.sendRaw(200, JSON_CONTENT_TYPE, '{not json');
			return;
	}
}
