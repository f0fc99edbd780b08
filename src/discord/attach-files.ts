import type { Message } from 'discord.js';
import type { AttachmentFetcher } from '../attachments/attachment-fetcher.js';
import type { PostedFile } from '../attachments/prepare-attachments.js';
import { MAX_FILES, MAX_MESSAGE_INLINE_BYTES, prepareAttachments } from '../attachments/prepare-attachments.js';
import { refusedLine } from '../attachments/refused-line.js';
import type { AttachmentStore } from '../store/attachment-store.js';
import type { SessionStore } from '../store/session-store.js';

export type AttachFilesDeps = {
	readonly store: SessionStore;
	readonly attachments: AttachmentStore;
	readonly fetcher: AttachmentFetcher;
	/** ATTACHMENT_MAX_BYTES. */
	readonly maxBytes: number;
};

/** A message's files as Discord describes them. */
export function postedFiles(message: Message): PostedFile[] {
	return [...message.attachments.values()].map((attachment) => ({
		name: attachment.name,
		url: attachment.url,
		contentType: attachment.contentType ?? undefined,
		size: attachment.size,
	}));
}

/**
 * Downloads a stored turn's files and stores them with it; a message that replies to one with files (a picture the
 * bot drew, say) gets those too, so they go back to Gemini with it. Returns the line naming files left out, if any.
 */
export async function attachFiles(
	deps: AttachFilesDeps,
	message: Message,
	turnId: number,
	signal?: AbortSignal,
): Promise<string | undefined> {
	const repliedTo = message.reference?.messageId;
	const quoted = repliedTo === undefined ? undefined : deps.store.findByDiscordMessage(repliedTo);
	if (quoted && quoted.attachmentCount > 0) deps.attachments.link(turnId, deps.attachments.of(quoted.id));
	const posted = postedFiles(message);
	if (posted.length === 0) return undefined;
	const prepared = await prepareAttachments(posted, {
		fetcher: deps.fetcher,
		maxBytes: deps.maxBytes,
		maxMessageBytes: MAX_MESSAGE_INLINE_BYTES,
		maxFiles: MAX_FILES,
		...(signal ? { signal } : {}),
	});
	deps.attachments.add(turnId, prepared.files);
	return refusedLine(prepared.refused);
}
