import type { GenerateContentResponse, GoogleGenAI, Part } from '@google/genai';
import type { TokenUsage } from '../domain/token-usage.js';
import { NO_USAGE } from '../domain/token-usage.js';
import type { ChatModel, Grounding, ModelEvent } from './chat-model.js';
import { generationConfig } from './generation-config.js';
import { toModelError } from './model-error.js';
import { readGrounding } from './read-grounding.js';
import { toGeminiParts } from './to-gemini-parts.js';

/** ChatModel over `models.generateContentStream`; history comes from our store, never the SDK's chat object. */
export function createGeminiModel({ client }: { client: GoogleGenAI }): ChatModel {
	return {
		async *stream(request): AsyncGenerator<ModelEvent> {
			const { signal } = request;
			let stream: AsyncGenerator<GenerateContentResponse>;
			try {
				stream = await client.models.generateContentStream({
					model: request.model,
					contents: request.contents.map((content) => ({ role: content.role, parts: toGeminiParts(content.parts) })),
					config: {
						systemInstruction: request.systemInstruction,
						...generationConfig(request.model, request.options),
						abortSignal: signal,
						automaticContinuation: false,
					},
				});
			} catch (error) {
				throw toModelError(error, signal);
			}
			let finishReason: string | undefined;
			let blockReason: string | undefined;
			let usage: TokenUsage = NO_USAGE;
			let grounding: Grounding | undefined;
			try {
				for await (const chunk of stream) {
					const candidate = chunk.candidates?.[0];
					// Read parts directly: chunk.text warns on non-text parts and would include nothing for thoughts anyway.
					for (const part of candidate?.content?.parts ?? []) {
						const event = toEvent(part);
						if (event) yield event;
					}
					finishReason = candidate?.finishReason ?? finishReason;
					blockReason = chunk.promptFeedback?.blockReason ?? blockReason;
					grounding = readGrounding(candidate?.groundingMetadata, grounding);
					// usageMetadata holds running totals: the last chunk's values are the call's.
					if (chunk.usageMetadata) {
						usage = toUsage(chunk.usageMetadata);
						yield { type: 'usage', usage };
					}
				}
			} catch (error) {
				throw toModelError(error, signal);
			}
			yield { type: 'finish', finishReason, blockReason, usage, grounding };
		},
	};
}

/** Answer text and code execution parts; thoughts are never part of the answer (their tokens are still counted). */
function toEvent(part: Part): ModelEvent | undefined {
	if (part.thought === true) return undefined;
	if (typeof part.text === 'string' && part.text !== '') return { type: 'text', text: part.text };
	if (part.executableCode?.code !== undefined) {
		return { type: 'code', language: part.executableCode.language ?? '', code: part.executableCode.code };
	}
	if (part.codeExecutionResult) {
		const { outcome, output } = part.codeExecutionResult;
		return { type: 'code-result', outcome: outcome ?? '', output: output ?? '' };
	}
	return undefined;
}

export function toUsage(metadata: NonNullable<GenerateContentResponse['usageMetadata']>): TokenUsage {
	return {
		promptTokens: metadata.promptTokenCount,
		outputTokens: metadata.candidatesTokenCount,
		thoughtsTokens: metadata.thoughtsTokenCount,
		totalTokens: metadata.totalTokenCount,
		cachedTokens: metadata.cachedContentTokenCount,
	};
}
