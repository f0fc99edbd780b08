import type { ModelContent } from '../llm/chat-model.js';
import { contentText, textContent } from '../llm/chat-model.js';
import type { StoredTurn } from '../domain/turn.js';
import type { ContextMedia } from '../chat/turn-parts.js';
import { turnParts } from '../chat/turn-parts.js';

/** Files are named, not sent: the summary keeps what was said about them. */
const NAMES_ONLY = { mediaTurns: 0, maxInlineBytes: 0 };

/**
 * The request that folds `turns` into the thread's summary: the summary so far plus the new turns in, one updated
 * summary of about `words` words out. Incremental: the old turns are never sent again.
 */
export async function summaryRequest(
	previous: string | undefined,
	turns: readonly StoredTurn[],
	options: { readonly words: number; readonly media: ContextMedia },
): Promise<{ systemInstruction: string; contents: ModelContent[] }> {
	const media: ContextMedia = { ...options.media, ...NAMES_ONLY, bytesOf: () => Promise.resolve(undefined) };
	const transcript: string[] = [];
	for (const turn of turns) {
		const built = await turnParts(turn, media, { turnsLeft: 0, bytesLeft: 0 });
		if (!built) continue;
		const text = contentText({ role: turn.role, parts: built.parts });
		// A member's turn already starts with their name.
		transcript.push(turn.role === 'model' ? `${turn.authorName} (the assistant): ${text}` : text);
	}
	const systemInstruction = [
		'You keep the memory of a long Discord conversation between server members and an AI assistant.',
		'Merge the summary so far with the new messages into one updated summary that replaces it.',
		'Keep what later messages may rely on: who said what (by name), facts, decisions, preferences, open questions, ' +
			'promises, and code, numbers or links that were discussed. Drop greetings and small talk.',
		`Write in the conversation's language, in short paragraphs or bullet points, in at most about ${options.words} words.`,
		'Output only the summary, with no heading and no remarks about it.',
	].join('\n');
	const summarySoFar = previous === undefined ? '(none yet: this is the start of the conversation)' : previous;
	const message = `Summary so far:\n${summarySoFar}\n\nNew messages, oldest first:\n\n${transcript.join('\n\n')}`;
	return { systemInstruction, contents: [textContent('user', message)] };
}
