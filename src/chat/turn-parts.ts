import { decodeText } from '../attachments/decode-text.js';
import type { ModelPart } from '../llm/chat-model.js';
import type { AttachmentKind, TurnAttachment } from '../store/ports/attachment-store.js';
import type { ContextTurn } from '../domain/turn.js';
import type { PromptSize } from './token-estimate.js';

/** Where a turn's files come from, and how many of them a request may carry inline. */
export type ContextMedia = {
	/** The newest turns whose images, PDFs, audio and video go along (CONTEXT_MEDIA_TURNS); older: "[image: x]". */
	readonly mediaTurns: number;
	/** Inline bytes per request: base64 adds a third, and Gemini takes about 20 MB. */
	readonly maxInlineBytes: number;
	attachmentsOf(turnId: number): Promise<readonly TurnAttachment[]>;
	bytesOf(sha256: string): Promise<Buffer | undefined>;
	/** Which kinds the model reads inline (chat-completions models: pictures at most). @default every kind */
	accepts?: ((kind: AttachmentKind) => boolean) | undefined;
};

export const NO_MEDIA: ContextMedia = {
	mediaTurns: 0,
	maxInlineBytes: 0,
	attachmentsOf: () => Promise.resolve([]),
	bytesOf: () => Promise.resolve(undefined),
};

// Text files are cut when posted; rows stored whole before that are cut here, by the same function.
export { decodeText, TEXT_FILE_CHARACTERS } from '../attachments/decode-text.js';

const LABEL: Record<AttachmentKind, string> = {
	image: 'image',
	pdf: 'PDF',
	audio: 'audio',
	video: 'video',
	text: 'file',
};

/**
 * One turn as Gemini parts, with its size (text characters, inline files), or undefined when there is nothing to send.
 * A member's text is named ("Alice: …"); text files follow as text headed by their name; images, PDFs, audio and
 * video follow inline while the turn is among the newest `mediaTurns` with files and the request has room, else as a
 * short placeholder. A message of files only says so.
 */
export async function turnParts(
	turn: ContextTurn,
	media: ContextMedia,
	inline: { turnsLeft: number; bytesLeft: number },
): Promise<{ parts: ModelPart[]; size: PromptSize; unreadable: TurnAttachment[] } | undefined> {
	// Media stay for the newest `mediaTurns` turns of the conversation, whoever wrote them.
	const sendMedia = turn.role === 'user' && inline.turnsLeft > 0;
	inline.turnsLeft -= 1;
	const files = turn.attachmentCount > 0 ? await media.attachmentsOf(turn.id) : [];
	const text = turn.content.trim();
	if (text === '' && files.length === 0) return undefined;
	const said =
		text === '' ? `${turn.authorName} sent only files, without text.` : `${turn.authorName}: ${turn.content}`;
	const parts: ModelPart[] = [{ text: turn.role === 'user' ? said : turn.content }];
	let characters = parts[0] && 'text' in parts[0] ? parts[0].text.length : 0;
	let inlineFiles = 0;
	const unreadable: TurnAttachment[] = [];
	for (const file of files) {
		const bytes = await media.bytesOf(file.sha256);
		if (file.kind === 'text' && bytes) {
			const body = decodeText(bytes);
			parts.push({ text: `[${LABEL.text}: ${file.filename}]\n${body}` });
			characters += body.length;
		} else if (media.accepts?.(file.kind) === false) {
			unreadable.push(file);
			parts.push({ text: `[${LABEL[file.kind]}: ${file.filename}]` });
		} else if (sendMedia && bytes && bytes.length <= inline.bytesLeft) {
			inline.bytesLeft -= bytes.length;
			parts.push(
				{ text: `[${LABEL[file.kind]}: ${file.filename}]` },
				{ inlineData: { mimeType: file.mimeType, data: bytes } },
			);
			inlineFiles += 1;
		} else {
			parts.push({ text: `[${LABEL[file.kind]}: ${file.filename}]` });
		}
	}
	return { parts: mergeText(parts), size: { characters, inlineFiles }, unreadable };
}

/** Adjacent text parts become one, as Gemini reads them the same way. */
function mergeText(parts: readonly ModelPart[]): ModelPart[] {
	const merged: ModelPart[] = [];
	for (const part of parts) {
		const last = merged.at(-1);
		if (last && 'text' in last && 'text' in part) merged[merged.length - 1] = { text: `${last.text}\n${part.text}` };
		else merged.push(part);
	}
	return merged;
}
