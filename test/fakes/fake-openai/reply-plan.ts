import type { OpenAiReasoningField, OpenAiScenario, OpenAiUsage } from './types.js';

/** What stays the same across all chunks of one response. */
export type ResponseContext = {
	id: string;
	/** Unix seconds. */
	created: number;
	model: string;
	includeUsage: boolean;
	promptTokens: number;
};

export type ReplyPlan = {
	chunks: readonly string[];
	reasoning: readonly string[];
	reasoningField: OpenAiReasoningField;
	/** undefined: the stream stops before a finish chunk (and so before the usage chunk). */
	finishReason: string | undefined;
	usage?: OpenAiUsage | undefined;
};

type ReplyScenario = Extract<OpenAiScenario, { kind: 'reply' }>;

export function replyPlanOf(scenario: ReplyScenario): ReplyPlan {
	const { reasoning } = scenario;
	return {
		chunks: scenario.chunks,
		reasoning: reasoning === undefined ? [] : typeof reasoning === 'string' ? [reasoning] : reasoning,
		reasoningField: scenario.reasoningField ?? 'reasoning_content',
		finishReason: scenario.finishReason ?? 'stop',
		usage: scenario.usage,
	};
}

/** The chunks of a stream that breaks off: no reasoning, no finish, no usage. */
export function partialPlan(chunks: readonly string[]): ReplyPlan {
	return { chunks, reasoning: [], reasoningField: 'reasoning_content', finishReason: undefined };
}
