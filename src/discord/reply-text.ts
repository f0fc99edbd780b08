import type { MessageState } from './reply-target.js';
import { fenceStateAfter, splitMessage } from './split-message.js';

/** How a reply ends: why it ended early (`note`), a `footer` line, or `silent` when no one could read more. */
export type ReplyEnding = { note?: string | undefined; footer?: string | undefined; silent?: boolean };

/** The final text with its note, then the footer line. */
export function withEnding(text: string, ending: ReplyEnding): string {
	let content = withNote(text, ending.note);
	if (ending.footer !== undefined) content = content.trim() === '' ? ending.footer : `${content}\n${ending.footer}`;
	return content;
}

/** The text with a visible note after it, outside any code block the text left open. */
export function withNote(text: string, note: string | undefined): string {
	if (note === undefined) return text;
	if (text.trim() === '') return `⚠️ ${note}`;
	const closer = fenceStateAfter(text).open ? (text.endsWith('\n') ? '```' : '\n```') : '';
	return `${text}${closer}\n\n⚠️ ${note}`;
}

/** The Discord messages a reply's content takes; while `live`, the last one carries the Stop button. */
export function toStates(content: string, live: boolean): MessageState[] {
	const parts = splitMessage(content);
	return parts.map((part, index) => ({ content: part, live: live && index === parts.length - 1 }));
}
