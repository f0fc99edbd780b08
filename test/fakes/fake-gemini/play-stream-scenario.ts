import { buildBlockedResponse, buildStreamChunks } from './build-response.js';
import type { ResponseContext } from './build-response.js';
import type { Exchange } from './exchange.js';
import { googleError } from './google-error.js';
import { imageChunkDelayOf, imagePlanOf } from './image-plan.js';
import { replyPlanOf } from './reply-plan.js';
import { perDayError, scenarioError } from './scenario-error.js';
import type { GeminiScenario } from './types.js';
import { resourceExhaustedError } from './vertex-error.js';

/** Plays one scenario on a `:streamGenerateContent?alt=sse` request. */
export async function playStreamScenario(
	exchange: Exchange,
	scenario: GeminiScenario,
	context: ResponseContext,
	defaultChunkDelayMs: number,
): Promise<void> {
	const delayOf = (chunkDelayMs: number | undefined) => chunkDelayMs ?? defaultChunkDelayMs;
	const streamChunks = async (chunks: readonly string[], finishReason: string | undefined, delayMs: number) => {
		exchange.openStream();
		await writeEvents(exchange, buildStreamChunks(context, { chunks, finishReason }), delayMs);
	};
	switch (scenario.kind) {
		case 'reply': {
			const events = buildStreamChunks(context, replyPlanOf(scenario));
			exchange.openStream();
			if (scenario.firstChunkDelayMs !== undefined) await exchange.pause(scenario.firstChunkDelayMs);
			await writeEvents(exchange, events, delayOf(scenario.chunkDelayMs));
			exchange.end();
			return;
		}
		case 'image':
		case 'text-only':
		case 'thoughts-only':
			exchange.openStream();
			await writeEvents(
				exchange,
				buildStreamChunks(context, imagePlanOf(scenario)),
				delayOf(imageChunkDelayOf(scenario)),
			);
			exchange.end();
			return;
		case 'http-error':
			exchange.sendError(scenarioError(scenario, context.model), scenario.errorContentType ?? 'event-stream');
			return;
		case 'per-day-429':
			exchange.sendError(perDayError(context.model), 'event-stream');
			return;
		case 'resource-exhausted':
			exchange.sendError(
				resourceExhaustedError(scenario.message, scenario.retryDelay),
				scenario.errorContentType ?? 'event-stream',
			);
			return;
		case 'sse-error-after': {
			const delayMs = delayOf(scenario.chunkDelayMs);
			await streamChunks(scenario.chunks, undefined, delayMs);
			await exchange.pause(delayMs);
			// Mid-stream errors are compact single-line events without details.
			const { code, message, status } = googleError(scenario.status ?? 503);
			exchange.writeEvent(JSON.stringify({ error: { code, message, status } }));
			exchange.end();
			return;
		}
		case 'drop-after': {
			const delayMs = delayOf(scenario.chunkDelayMs);
			await streamChunks(scenario.chunks, undefined, delayMs);
			await exchange.pause(delayMs);
			exchange.drop();
			return;
		}
		case 'hang-after':
			await streamChunks(scenario.chunks, undefined, delayOf(scenario.chunkDelayMs));
			await exchange.closed();
			return;
		case 'no-finish':
			await streamChunks(scenario.chunks, undefined, delayOf(scenario.chunkDelayMs));
			exchange.end();
			return;
		case 'blocked-prompt':
			exchange.openStream();
			exchange.writeEvent(JSON.stringify(buildBlockedResponse(context, scenario.blockReason ?? 'SAFETY')));
			exchange.end();
			return;
		case 'malformed':
			exchange.openStream();
			exchange.writeEvent('{not json');
			exchange.end();
			return;
	}
}

/** Writes events with `delayMs` between them; stops early once the response is closed. */
async function writeEvents(exchange: Exchange, events: readonly object[], delayMs: number): Promise<void> {
	for (const [index, event] of events.entries()) {
		if (exchange.signal.aborted) return;
		if (index > 0) await exchange.pause(delayMs);
		exchange.writeEvent(JSON.stringify(event));
	}
}
