import type OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { TokenUsage } from '../../domain/token-usage.js';
import { NO_USAGE } from '../../domain/token-usage.js';
import type { ChatModel, GenerationOptions, ModelEvent } from '../chat-model.js';
import { toModelError } from '../model-error.js';
import { toOpenAiModelError } from './openai-error.js';
import type { ModelAddressBook } from '../../config/model-address.js';
import { toOpenAiMessages } from './to-openai-messages.js';

/** Finish reasons in the words the rest of the bot uses for Gemini's (describeOutcome reads them). */
const FINISH_REASONS: Readonly<Record<string, string>> = {
	stop: 'STOP',
	length: 'MAX_TOKENS',
	content_filter: 'CONTENT_FILTER',
	tool_calls: 'STOP',
	function_call: 'STOP',
};

/**
 * ChatModel over OpenAI-compatible chat completions, streamed with `stream_options.include_usage`. Reasoning text some
 * servers stream apart (`reasoning_content`, `reasoning`) is never part of the answer; only its tokens are counted.
 */
export function createOpenAiModel(deps: {
	readonly addresses: ModelAddressBook;
	readonly clientFor: (endpoint: string) => OpenAI;
	/** Whether an endpoint takes `max_completion_tokens` (OpenAI's own API) rather than `max_tokens`. */
	readonly usesMaxCompletionTokens: (endpoint: string) => boolean;
}): ChatModel {
	return {
		async *stream(request): AsyncGenerator<ModelEvent> {
			const address = deps.addresses.parse(request.model);
			if (address.provider !== 'openai') throw new Error(`${request.model} is not an OpenAI-compatible model`);
			const { signal } = request;
			const body: ChatCompletionCreateParamsStreaming = {
				model: address.model,
				messages: toOpenAiMessages(request.systemInstruction, request.contents),
				stream: true,
				stream_options: { include_usage: true },
				...sampling(request.options, deps.usesMaxCompletionTokens(address.endpoint)),
			};
			let finishReason: string | undefined;
			let usage: TokenUsage = NO_USAGE;
			try {
				const stream = await deps.clientFor(address.endpoint).chat.completions.create(body, { signal });
				for await (const chunk of stream) {
					const choice = chunk.choices[0];
					const text = choice?.delta.content;
					if (typeof text === 'string' && text !== '') yield { type: 'text', text };
					if (choice?.finish_reason) finishReason = FINISH_REASONS[choice.finish_reason] ?? choice.finish_reason;
					if (chunk.usage) {
						usage = toUsage(chunk.usage);
						yield { type: 'usage', usage };
					}
				}
			} catch (error) {
				throw toOpenAiModelError(error, signal);
			}
			// The client ends the iteration quietly when aborted after the headers: the reply was stopped, not finished.
			if (signal.aborted) throw toModelError(signal.reason, signal);
			yield { type: 'finish', finishReason, blockReason: undefined, usage };
		},
	};
}

/** What /settings sets that chat completions know: temperature and the answer length (tools are Gemini's). */
function sampling(options: GenerationOptions | undefined, maxCompletionTokens: boolean) {
	return {
		...(options?.temperature === undefined ? {} : { temperature: options.temperature }),
		...(options?.maxOutputTokens === undefined
			? {}
			: maxCompletionTokens
				? { max_completion_tokens: options.maxOutputTokens }
				: // Deprecated by OpenAI for its own API, and the only one most compatible servers know.
					{ max_tokens: options.maxOutputTokens }),
	};
}

/** completion_tokens includes reasoning tokens; the bot counts them apart, as Gemini's thoughts. */
export function toUsage(usage: NonNullable<ChatCompletionChunk['usage']>): TokenUsage {
	const reasoning = usage.completion_tokens_details?.reasoning_tokens ?? undefined;
	return {
		promptTokens: usage.prompt_tokens,
		outputTokens: usage.completion_tokens - (reasoning ?? 0),
		thoughtsTokens: reasoning,
		totalTokens: usage.total_tokens,
		cachedTokens: usage.prompt_tokens_details?.cached_tokens ?? undefined,
	};
}
