import type { ReplyPlan } from './build-response.js';
import type { GeminiScenario } from './types.js';

export type ReplyScenario = Extract<GeminiScenario, { kind: 'reply' }>;

/** What a `reply` scenario sends, the same on stream and unary routes. */
export function replyPlanOf(scenario: ReplyScenario): ReplyPlan {
	return {
		chunks: scenario.chunks,
		thought: scenario.thought,
		usage: scenario.usage,
		code: scenario.code,
		grounding: scenario.groundingMetadata,
		urlContext: scenario.urlContext,
		finishReason: scenario.finishReason ?? 'STOP',
	};
}
