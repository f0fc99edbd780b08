import type { GenerateContentResponse, GoogleGenAI } from '@google/genai';
import type { TokenUsage } from '../store/session-store.js';
import type { ChatModel, ModelEvent } from './chat-model.js';
import { toModelError } from './model-error.js';
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
						abortSignal: signal,
						automaticContinuation: false,
					},
				});
			} catch (error) {
				throw toModelError(error, signal);
			}
			let finishReason: string | undefined;
			let blockReason: string | undefined;
			let usage: TokenUsage = {
				promptTokens: undefined,
				outputTokens: undefined,
				thoughtsTokens: undefined,
				totalTokens: undefined,
			};
			try {
				for await (const chunk of stream) {
					const candidate = chunk.candidates?.[0];
					// Read parts directly: chunk.text warns on non-text parts and would include nothing for thoughts anyway.
					for (const part of candidate?.content?.parts ?? []) {
						if (part.thought !== true && typeof part.text === 'string' && part.text !== '') {
							yield { type: 'text', text: part.text };
						}
					}
					finishReason = candidate?.finishReason ?? finishReason;
					blockReason = chunk.promptFeedback?.blockReason ?? blockReason;
					// usageMetadata holds running totals: the last chunk's values are the call's.
					if (chunk.usageMetadata) usage = toUsage(chunk.usageMetadata);
				}
			} catch (error) {
				throw toModelError(error, signal);
			}
			yield { type: 'finish', finishReason, blockReason, usage };
		},
	};
}

export function toUsage(metadata: NonNullable<GenerateContentResponse['usageMetadata']>): TokenUsage {
	return {
		promptTokens: metadata.promptTokenCount,
		outputTokens: metadata.candidatesTokenCount,
		thoughtsTokens: metadata.thoughtsTokenCount,
		totalTokens: metadata.totalTokenCount,
	};
}
