import { buildStreamChunks } from './build-chunks.js';
import { scenarioError } from './error-presets.js';
import type { Exchange } from './exchange.js';
import { serverErrorBody } from './openai-error.js';
import { partialPlan, replyPlanOf } from './reply-plan.js';
import type { ResponseContext } from './reply-plan.js';
import type { OpenAiScenario } from './types.js';

/** Plays one scenario on a `stream: true` request. */
export async function playStreamScenario(
	exchange: Exchange,
	scenario: OpenAiScenario,
	context: ResponseContext,
	defaultChunkDelayMs: number,
): Promise<void> {
	const delayMs = 'chunkDelayMs' in scenario ? (scenario.chunkDelayMs ?? defaultChunkDelayMs) : defaultChunkDelayMs;
	const streamPartial = async (chunks: readonly string[]) => {
		exchange.openStream();
		await writeChunks(exchange, buildStreamChunks(context, partialPlan(chunks)), delayMs);
		await exchange.pause(delayMs);
	};
	switch (scenario.kind) {
		case 'reply': {
			exchange.openStream();
			if (scenario.firstChunkDelayMs !== undefined) await exchange.pause(scenario.firstChunkDelayMs);
			await writeChunks(exchange, buildStreamChunks(context, replyPlanOf(scenario)), delayMs);
			if (!exchange.signal.aborted) exchange.writeData('[DONE]');
			exchange.end();
			return;
		}
		case 'http-error':
			exchange.sendError(scenarioError(scenario, context.model));
			return;
		case 'drop-after':
			await streamPartial(scenario.chunks);
			exchange.drop();
			return;
		case 'error-after':
			await streamPartial(scenario.chunks);
			// The stream ends after the error event, without [DONE].
			exchange.writeData(JSON.stringify({ error: { ...serverErrorBody(), ...scenario.error } }));
			exchange.end();
			return;
		case 'hang-after':
			await streamPartial(scenario.chunks);
			await exchange.closed();
			return;
	}
}

/** Writes chunks with `delayMs` between them; stops early once the response is closed. */
async function writeChunks(exchange: Exchange, chunks: readonly object[], delayMs: number): Promise<void> {
	for (const [index, chunk] of chunks.entries()) {
		if (exchange.signal.aborted) return;
		if (index > 0) await exchange.pause(delayMs);
		exchange.writeData(JSON.stringify(chunk));
	}
}
