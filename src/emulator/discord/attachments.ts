import { createHmac } from 'node:crypto';
import type { APIAttachment } from 'discord-api-types/v10';
import type { FakeAttachmentInput, StoredAttachment } from './attachment-types.js';
import { snowflakeTimestamp } from './snowflake.js';
import type { CdnFile, FakeState } from './state.js';

/** Discord's signed links stop working after about a day. */
const LINK_LIFETIME_SECONDS = 24 * 60 * 60;
const SIGNING_KEY = 'fake-discord-cdn';

function place(state: FakeState, attachment: StoredAttachment, channelId: string, ephemeral: boolean): CdnFile {
	const folder = ephemeral ? 'ephemeral-attachments' : 'attachments';
	const path = `/${folder}/${channelId}/${attachment.id}/${encodeURIComponent(attachment.filename)}`;
	const file: CdnFile = { attachment, path, ephemeral };
	state.cdnFiles.set(attachment.id, file);
	return file;
}

/** A new attachment with a fresh id, served by the fake CDN under `channelId` (ephemeral: a slash command upload). */
export function registerAttachment(
	state: FakeState,
	channelId: string,
	fields: Omit<StoredAttachment, 'id'>,
	ephemeral = false,
): StoredAttachment {
	const attachment: StoredAttachment = { id: state.ids.next(), ...fields };
	place(state, attachment, channelId, ephemeral);
	return attachment;
}

export function attachmentFromInput(
	state: FakeState,
	channelId: string,
	input: FakeAttachmentInput,
	ephemeral = false,
): StoredAttachment {
	return registerAttachment(state, channelId, { ...input, contentType: input.contentType }, ephemeral);
}

/** `ex` (expiry) and `is` (issue time) are hex Unix seconds like Discord's; `hm` makes the link unguessable. */
function signature(file: CdnFile): URLSearchParams {
	const issued = Math.floor(snowflakeTimestamp(file.attachment.id) / 1_000);
	const is = issued.toString(16);
	const ex = (issued + LINK_LIFETIME_SECONDS).toString(16);
	const hm = createHmac('sha256', SIGNING_KEY).update(`${file.path}|${ex}|${is}`).digest('hex');
	return new URLSearchParams({ ex, is, hm });
}

/** Whether a request's query carries the link's exact signature (a bot must use URLs as Discord hands them out). */
export function isSignedLink(file: CdnFile, query: URLSearchParams): boolean {
	return [...signature(file)].every(([key, value]) => query.get(key) === value);
}

export function attachmentPayload(state: FakeState, channelId: string, attachment: StoredAttachment): APIAttachment {
	const file = state.cdnFiles.get(attachment.id) ?? place(state, attachment, channelId, false);
	// The trailing `&` is how Discord's links end.
	const url = attachment.url ?? `${state.httpBase}${file.path}?${signature(file).toString()}&`;
	return {
		id: attachment.id,
		filename: attachment.filename,
		size: attachment.reportedSize ?? attachment.data.length,
		url,
		proxy_url: url,
		...(attachment.contentType === undefined ? {} : { content_type: attachment.contentType }),
		...(attachment.durationSecs === undefined ? {} : { duration_secs: attachment.durationSecs }),
		...(attachment.waveform === undefined ? {} : { waveform: attachment.waveform }),
		...(file.ephemeral ? { ephemeral: true } : {}),
	};
}
