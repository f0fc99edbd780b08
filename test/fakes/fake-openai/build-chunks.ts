import type { ReplyPlan, ResponseContext } from './reply-plan.js';
import { buildUsage } from './usage.js';

type Delta = Record<string, unknown>;

/**
 * OpenAI's chunk sequence: a role chunk with empty content, reasoning chunks (DeepSeek and vLLM send `content: null`
 * beside `reasoning_content`, Ollama `content: ''` beside `reasoning`), one chunk per text delta, an empty delta
 * carrying `finish_reason`, then, with `include_usage`, a chunk with `choices: []` and the usage.
 */
export function buildStreamChunks(context: ResponseContext, plan: ReplyPlan): Record<string, unknown>[] {
	const content = plan.reasoningField === 'reasoning' ? '' : null;
	const deltas: Delta[] = [
		{ role: 'assistant', content: '', refusal: null },
		...plan.reasoning.map((text) => ({ content, [plan.reasoningField]: text })),
		...plan.chunks.map((text) => ({ content: text })),
	];
	const events = deltas.map((delta) => choiceChunk(context, delta, null));
	if (plan.finishReason === undefined) return events;
	events.push(choiceChunk(context, {}, plan.finishReason));
	if (context.includeUsage) {
		events.push({ ...header(context), choices: [], usage: buildUsage(context.promptTokens, plan) });
	}
	return events;
}

/** The non-streaming `chat.completion` object. */
export function buildCompletion(context: ResponseContext, plan: ReplyPlan): Record<string, unknown> {
	const message: Record<string, unknown> = {
		role: 'assistant',
		content: plan.chunks.join(''),
		refusal: null,
		annotations: [],
	};
	if (plan.reasoning.length > 0) message[plan.reasoningField] = plan.reasoning.join('');
	return {
		...header(context),
		object: 'chat.completion',
		choices: [{ index: 0, message, logprobs: null, finish_reason: plan.finishReason ?? null }],
		usage: buildUsage(context.promptTokens, plan),
	};
}

function choiceChunk(context: ResponseContext, delta: Delta, finishReason: string | null): Record<string, unknown> {
	return {
		...header(context),
		choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
		// OpenAI sends `usage: null` on every chunk but the last when usage was asked for.
		...(context.includeUsage ? { usage: null } : {}),
	};
}

function header(context: ResponseContext): Record<string, unknown> {
	return {
		id: context.id,
		object: 'chat.completion.chunk',
		created: context.created,
		model: context.model,
		service_tier: 'default',
		system_fingerprint: 'fp_fake',
	};
}
