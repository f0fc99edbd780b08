import { buildCompletion } from './build-chunks.js';
import { scenarioError } from './error-presets.js';
import type { Exchange } from './exchange.js';
import { serverErrorBody } from './openai-error.js';
import { partialPlan, replyPlanOf } from './reply-plan.js';
import type { ResponseContext } from './reply-plan.js';
import type { OpenAiScenario } from './types.js';

/** Plays one scenario on a non-streaming request: the whole outcome in one JSON response. */
export async function playUnaryScenario(
	exchange: Exchange,
	scenario: OpenAiScenario,
	context: ResponseContext,
	defaultChunkDelayMs: number,
): Promise<void> {
	// Generation time: one chunk delay per chunk, as if the stream had been buffered.
	const generate = (chunks: readonly string[], chunkDelayMs: number | undefined) =>
		exchange.pause((chunkDelayMs ?? defaultChunkDelayMs) * Math.max(1, chunks.length));
	switch (scenario.kind) {
		case 'reply':
			await exchange.pause(scenario.firstChunkDelayMs ?? 0);
			await generate(scenario.chunks, scenario.chunkDelayMs);
			exchange.sendJson(200, buildCompletion(context, replyPlanOf(scenario)));
			return;
		case 'http-error':
			exchange.sendError(scenarioError(scenario, context.model));
			return;
		case 'drop-after': {
			const body = JSON.stringify(buildCompletion(context, partialPlan(scenario.chunks)));
			exchange.startJson(body.slice(0, Math.floor(body.length / 2)));
			await generate(scenario.chunks, scenario.chunkDelayMs);
			exchange.drop();
			return;
		}
		case 'error-after':
			await generate(scenario.chunks, scenario.chunkDelayMs);
			exchange.sendError({
				status: scenario.status ?? 500,
				error: { ...serverErrorBody(), ...scenario.error },
				headers: {},
			});
			return;
		case 'hang-after':
			await exchange.closed();
			return;
	}
}
