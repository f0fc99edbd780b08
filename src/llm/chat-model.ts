import type { Grounding } from '../domain/turn.js';
import type { TokenUsage } from '../domain/token-usage.js';

export type { Grounding };

/** A piece of a turn: text, or a file Gemini reads inline (an image, a PDF, audio, video). */
export type ModelPart =
	{ readonly text: string } | { readonly inlineData: { readonly mimeType: string; readonly data: Buffer } };

export type ModelContent = { readonly role: 'user' | 'model'; readonly parts: readonly ModelPart[] };

/** A content of one text part. */
export function textContent(role: ModelContent['role'], text: string): ModelContent {
	return { role, parts: [{ text }] };
}

/** What a channel's /settings change about a call; unset fields keep Gemini's defaults. */
export type GenerationOptions = {
	/** Google Search grounding. */
	readonly search?: boolean;
	/** URL context: Gemini reads the links in the conversation. */
	readonly urls?: boolean;
	/** Code execution in Gemini's sandbox. */
	readonly code?: boolean;
	readonly temperature?: number;
	readonly maxOutputTokens?: number;
	/** Thinking tokens allowed: 0 turns thinking off, -1 lets the model decide. Only 2.5 models take it. */
	readonly thinkingBudget?: number;
};

export type ModelRequest = {
	readonly model: string;
	readonly systemInstruction: string;
	readonly contents: readonly ModelContent[];
	readonly options?: GenerationOptions | undefined;
	readonly signal: AbortSignal;
};

export type ModelEvent =
	| { readonly type: 'text'; readonly text: string }
	/** Code Gemini wrote and ran in its sandbox (the code execution tool). */
	| { readonly type: 'code'; readonly language: string; readonly code: string }
	| { readonly type: 'code-result'; readonly outcome: string; readonly output: string }
	/** The running totals so far (Gemini reports them on every chunk): what a call cut short is charged. */
	| { readonly type: 'usage'; readonly usage: TokenUsage }
	| {
			readonly type: 'finish';
			/** Gemini's finishReason (STOP, MAX_TOKENS, SAFETY, …); undefined when the stream ended without one. */
			readonly finishReason: string | undefined;
			/** Set when Gemini refused the prompt itself (promptFeedback.blockReason). */
			readonly blockReason: string | undefined;
			readonly usage: TokenUsage;
			/** Set when the answer was grounded with Google Search. */
			readonly grounding?: Grounding | undefined;
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
