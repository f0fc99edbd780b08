import type { GoogleGenAI } from '@google/genai';
import { Modality } from '@google/genai';
import { NO_USAGE } from '../domain/token-usage.js';
import { toUsage } from './gemini-model.js';
import type { GeneratedImage, ImageModel } from './image-model.js';
import { toModelError } from './model-error.js';
import { toGeminiParts } from './to-gemini-parts.js';

const MODALITY = { TEXT: Modality.TEXT, IMAGE: Modality.IMAGE } as const;

/** ImageModel over `models.generateContent` with `responseModalities`: pictures come back as inline data parts. */
export function createGeminiImageModel({ client }: { client: GoogleGenAI }): ImageModel {
	return {
		async generate(request) {
			try {
				const response = await client.models.generateContent({
					model: request.model,
					contents: [{ role: 'user', parts: toGeminiParts(request.parts) }],
					config: {
						responseModalities: request.responseModalities.map((modality) => MODALITY[modality]),
						abortSignal: request.signal,
					},
				});
				const candidate = response.candidates?.[0];
				const parts = candidate?.content?.parts ?? [];
				const images: GeneratedImage[] = parts.flatMap((part) =>
					part.inlineData?.data === undefined
						? []
						: [
								{
									mimeType: part.inlineData.mimeType ?? 'image/png',
									data: Buffer.from(part.inlineData.data, 'base64'),
								},
							],
				);
				// Read parts directly: response.text warns on image parts, and thoughts are not an answer.
				const text = parts
					.map((part) => (part.thought !== true && typeof part.text === 'string' ? part.text : ''))
					.join('');
				return {
					text,
					images,
					finishReason: candidate?.finishReason,
					blockReason: response.promptFeedback?.blockReason,
					usage: response.usageMetadata ? toUsage(response.usageMetadata) : NO_USAGE,
				};
			} catch (error) {
				throw toModelError(error, request.signal);
			}
		},
	};
}
