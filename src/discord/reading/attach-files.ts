import type { Attachment, Message } from 'discord.js';
import type { AttachmentFetcher } from '../../attachments/attachment-fetcher.js';
import type { PostedFile } from '../../attachments/prepare-attachments.js';
import { MAX_FILES, MAX_MESSAGE_INLINE_BYTES, prepareAttachments } from '../../attachments/prepare-attachments.js';
import { refusedLine } from '../../attachments/refused-line.js';
import type { AttachmentStore } from '../../store/ports/attachment-store.js';
import type { SessionStore } from '../../store/ports/session-store.js';

export type AttachFilesDeps = {
	readonly store: SessionStore;
	readonly attachments: AttachmentStore;
	readonly fetcher: AttachmentFetcher;
	/** ATTACHMENT_MAX_BYTES. */
	readonly maxBytes: number;
};

/** Files as Discord describes them (a message's, or a command's attachment option). */
export function postedFiles(attachments: Iterable<Attachment>): PostedFile[] {
	return [...attachments].map((attachment) => ({
		name: attachment.name,
		url: attachment.url,
		contentType: attachment.contentType ?? undefined,
		size: attachment.size,
	}));
}

/** What a member's message brings: its files, and the message it replies to. */
export function messageFiles(message: Message): { files: PostedFile[]; repliedTo: string | undefined } {
	return { files: postedFiles(message.attachments.values()), repliedTo: message.reference?.messageId };
}

/**
 * Downloads a stored turn's files and stores them with it; a message that replies to one with files (a picture the
 * bot drew, say) gets those too, so they go back to Gemini with it. Returns the line naming files left out, if any.
 */
export async function attachFiles(
	deps: AttachFilesDeps,
	source: { readonly files: readonly PostedFile[]; readonly repliedTo: string | undefined },
	turnId: number,
	signal?: AbortSignal,
): Promise<string | undefined> {
	const quoted = source.repliedTo === undefined ? undefined : await deps.store.findByDiscordMessage(source.repliedTo);
	if (quoted && quoted.attachmentCount > 0) await deps.attachments.link(turnId, await deps.attachments.of(quoted.id));
	const posted = source.files;
	if (posted.length === 0) return undefined;
	const prepared = await prepareAttachments(posted, {
		fetcher: deps.fetcher,
		maxBytes: deps.maxBytes,
		maxMessageBytes: MAX_MESSAGE_INLINE_BYTES,
		maxFiles: MAX_FILES,
		...(signal ? { signal } : {}),
	});
	await deps.attachments.add(turnId, prepared.files);
	return refusedLine(prepared.refused);
}
