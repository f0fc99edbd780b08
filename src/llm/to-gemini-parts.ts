import type { Part } from '@google/genai';
import type { ModelPart } from './chat-model.js';

/** Our parts as the Gemini API takes them: files as base64 inline data. */
export function toGeminiParts(parts: readonly ModelPart[]): Part[] {
	return parts.map((part) =>
		'text' in part
			? { text: part.text }
			: { inlineData: { mimeType: part.inlineData.mimeType, data: part.inlineData.data.toString('base64') } },
	);
}
