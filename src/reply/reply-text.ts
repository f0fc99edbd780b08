import type { MessageState } from './reply-target.js';
import { fenceStateAfter, splitMessage } from './split-message.js';

/**
 * How a reply ends: the answer's `sources`, why it ended early (`note`), `footer` lines, or `silent` when no one
 * could read more.
 */
export type ReplyEnding = {
	sources?: string | undefined;
	note?: string | undefined;
	footer?: string | undefined;
	silent?: boolean;
};

/** The final text, its sources, its note, then the footer lines. */
export function withEnding(text: string, ending: ReplyEnding): string {
	let content = withNote(withBlock(text, ending.sources), ending.note);
	if (ending.footer !== undefined) content = content.trim() === '' ? ending.footer : `${content}\n${ending.footer}`;
	return content;
}

/** The text with a visible note after it, outside any code block the text left open. */
export function withNote(text: string, note: string | undefined): string {
	return withBlock(text, note === undefined ? undefined : `⚠️ ${note}`);
}

/** A paragraph after the text, outside any code block the text left open. */
function withBlock(text: string, block: string | undefined): string {
	if (block === undefined) return text;
	if (text.trim() === '') return block;
	const closer = fenceStateAfter(text).open ? (text.endsWith('\n') ? '```' : '\n```') : '';
	return `${text}${closer}\n\n${block}`;
}

/** The Discord messages a reply's content takes; while `live`, the last one carries the Stop button. */
export function toStates(content: string, live: boolean): MessageState[] {
	const parts = splitMessage(content);
	return parts.map((part, index) => ({ content: part, live: live && index === parts.length - 1 }));
}
