import type { TokenUsage } from '../store/session-store.js';

/** A piece of a turn: text, or a file Gemini reads inline (an image, a PDF, audio, video). */
export type ModelPart =
	{ readonly text: string } | { readonly inlineData: { readonly mimeType: string; readonly data: Buffer } };

export type ModelContent = { readonly role: 'user' | 'model'; readonly parts: readonly ModelPart[] };

/** A content of one text part. */
export function textContent(role: ModelContent['role'], text: string): ModelContent {
	return { role, parts: [{ text }] };
}

export type ModelRequest = {
	readonly model: string;
	readonly systemInstruction: string;
	readonly contents: readonly ModelContent[];
	readonly signal: AbortSignal;
};

export type ModelEvent =
	| { readonly type: 'text'; readonly text: string }
	| {
			readonly type: 'finish';
			/** Gemini's finishReason (STOP, MAX_TOKENS, SAFETY, …); undefined when the stream ended without one. */
			readonly finishReason: string | undefined;
			/** Set when Gemini refused the prompt itself (promptFeedback.blockReason). */
			readonly blockReason: string | undefined;
			readonly usage: TokenUsage;
	  };

/** A streaming text model. Errors are thrown as ModelError, with the failure classified. */
export type ChatModel = {
	/** Yields text deltas in order, then exactly one `finish` event if the stream ended normally. */
	stream(request: ModelRequest): AsyncIterable<ModelEvent>;
};

/** The text parts of a content, joined (files left out). */
export function contentText(content: ModelContent): string {
	return content.parts.flatMap((part) => ('text' in part ? [part.text] : [])).join('');
}
