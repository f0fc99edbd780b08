import type { TokenUsage } from '../domain/token-usage.js';
import type { ModelPart } from './chat-model.js';

export type GeneratedImage = { readonly mimeType: string; readonly data: Buffer };

export type ImageRequest = {
	readonly model: string;
	/** The member's prompt, and the picture to edit, if any. */
	readonly parts: readonly ModelPart[];
	/** What Gemini may answer with: text and pictures, or pictures only. */
	readonly responseModalities: readonly ('TEXT' | 'IMAGE')[];
	readonly signal: AbortSignal;
};

export type ImageResult = {
	/** What the model wrote besides the pictures (thoughts left out). */
	readonly text: string;
	readonly images: readonly GeneratedImage[];
	readonly finishReason: string | undefined;
	readonly blockReason: string | undefined;
	readonly usage: TokenUsage;
};

/** A model that draws (Gemini's image models). Errors are thrown as ModelError. */
export type ImageModel = {
	generate(request: ImageRequest): Promise<ImageResult>;
};
