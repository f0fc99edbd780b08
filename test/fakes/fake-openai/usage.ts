import type { ReplyPlan } from './reply-plan.js';
import type { RecordedChatRequest } from './types.js';

/** What OpenAI bills for a low-detail image; stands in for every image. */
export const IMAGE_TOKENS = 85;

/** The usual rule of thumb: about 4 characters per token. */
export function estimateTokens(text: string): number {
	return Math.ceil(text.length / 4);
}

export function estimatePromptTokens(record: RecordedChatRequest): number {
	const text = record.messages.map((message) => message.text).join('');
	return estimateTokens(text) + (record.images.length + record.imageUrls.length) * IMAGE_TOKENS;
}

/** The usage object, estimated where the plan sets nothing; reasoning counts towards completion, as on OpenAI. */
export function buildUsage(promptTokens: number, plan: ReplyPlan): Record<string, unknown> {
	const { usage } = plan;
	const reasoningTokens = usage?.reasoning_tokens ?? estimateTokens(plan.reasoning.join(''));
	const prompt = usage?.prompt_tokens ?? promptTokens;
	const completion = usage?.completion_tokens ?? estimateTokens(plan.chunks.join('')) + reasoningTokens;
	return {
		prompt_tokens: prompt,
		completion_tokens: completion,
		total_tokens: usage?.total_tokens ?? prompt + completion,
		prompt_tokens_details: { cached_tokens: usage?.cached_tokens ?? 0, audio_tokens: 0 },
		completion_tokens_details: {
			reasoning_tokens: reasoningTokens,
			audio_tokens: 0,
			accepted_prediction_tokens: 0,
			rejected_prediction_tokens: 0,
		},
	};
}
