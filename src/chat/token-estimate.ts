import type { ModelContent } from '../llm/chat-model.js';

/** Google's rule of thumb, used until a thread's own calls have measured better (see `calibrate`). */
export const CHARACTERS_PER_TOKEN = 4;
// Gemini bills an image as about 258 tokens; audio and video cost more, but a rough share keeps the budget honest.
export const INLINE_FILE_TOKENS = 300;
// A measurement outside this range is noise (a prompt of mostly files, say), not the text's real ratio.
const MIN_CHARACTERS_PER_TOKEN = 1;
const MAX_CHARACTERS_PER_TOKEN = 8;

/** What a prompt holds, for estimating its tokens: text characters and files sent inline. */
export type PromptSize = { readonly characters: number; readonly inlineFiles: number };

export function promptSize(prompt: {
	readonly systemInstruction: string;
	readonly contents: readonly ModelContent[];
}): PromptSize {
	let characters = prompt.systemInstruction.length;
	let inlineFiles = 0;
	for (const part of prompt.contents.flatMap((content) => content.parts)) {
		if ('text' in part) characters += part.text.length;
		else inlineFiles += 1;
	}
	return { characters, inlineFiles };
}

export function estimateTokens(size: PromptSize, charactersPerToken = CHARACTERS_PER_TOKEN): number {
	return Math.ceil(size.characters / charactersPerToken) + size.inlineFiles * INLINE_FILE_TOKENS;
}

/**
 * The thread's characters per token after a call that sent `size` and was billed `promptTokens`: the measured ratio
 * (files taken out at their estimate), averaged with the previous one so that one odd call does not swing it.
 */
export function calibrate(size: PromptSize, promptTokens: number, previous: number | undefined): number {
	const textTokens = promptTokens - size.inlineFiles * INLINE_FILE_TOKENS;
	if (size.characters === 0 || textTokens <= 0) return previous ?? CHARACTERS_PER_TOKEN;
	const measured = Math.min(MAX_CHARACTERS_PER_TOKEN, Math.max(MIN_CHARACTERS_PER_TOKEN, size.characters / textTokens));
	return previous === undefined ? measured : (previous + measured) / 2;
}
