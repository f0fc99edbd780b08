import type { StoredAttachment } from './attachment-types.js';
import { registerAttachment } from './attachments.js';
import { allowedMentionsError } from './mentions.js';
import { messagePayload } from './payloads.js';
import { ERRORS, invalidFormBody, isRecord, type RestResponse, type UploadedFile } from './responses.js';
import { guildOfChannel, newMessage, storeMessage, type FakeState } from './state.js';
import type { AllowedMentionsBody, FakeUser, StoredMessage } from './types.js';

export const MESSAGE_CONTENT_LIMIT = 2_000;
const EMBED_LIMIT = 10;
const EMBED_TOTAL_LIMIT = 6_000;
const EPHEMERAL = 64;
const LOADING = 128;
/** Flags a client may set when creating a message: suppress embeds, ephemeral, silent, components v2. */
const SETTABLE_FLAGS = 4 | EPHEMERAL | 4096 | 32768;

export type MessageBody = {
	content?: string | null;
	embeds?: unknown[];
	components?: unknown[];
	allowed_mentions?: AllowedMentionsBody;
	message_reference?: { message_id?: string; channel_id?: string; fail_if_not_exists?: boolean };
	flags?: number;
	attachments?: { id?: string | number; filename?: string }[];
	sticker_ids?: string[];
	poll?: unknown;
};

export function asMessageBody(value: unknown): MessageBody {
	return isRecord(value) ? value : {};
}

function text(value: unknown): string {
	return typeof value === 'string' ? value : '';
}

function embedSize(embed: unknown): number {
	if (!isRecord(embed)) return 0;
	const fields = Array.isArray(embed.fields) ? embed.fields : [];
	return (
		text(embed.title).length +
		text(embed.description).length +
		(isRecord(embed.footer) ? text(embed.footer.text).length : 0) +
		(isRecord(embed.author) ? text(embed.author.name).length : 0) +
		fields.reduce<number>(
			(sum, item) => sum + (isRecord(item) ? text(item.name).length + text(item.value).length : 0),
			0,
		)
	);
}

/** Field validation Discord applies to creates and edits alike. */
export function validateMessageBody(body: MessageBody): RestResponse | undefined {
	if (typeof body.content === 'string' && body.content.length > MESSAGE_CONTENT_LIMIT) {
		return invalidFormBody('content', 'BASE_TYPE_MAX_LENGTH', 'Must be 2000 or fewer in length.');
	}
	const embeds = body.embeds ?? [];
	if (embeds.length > EMBED_LIMIT) {
		return invalidFormBody('embeds', 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
	}
	for (const [index, embed] of embeds.entries()) {
		if (!isRecord(embed)) continue;
		if (text(embed.title).length > 256) {
			return invalidFormBody(`embeds.${index}.title`, 'BASE_TYPE_MAX_LENGTH', 'Must be 256 or fewer in length.');
		}
		if (text(embed.description).length > 4_096) {
			return invalidFormBody(`embeds.${index}.description`, 'BASE_TYPE_MAX_LENGTH', 'Must be 4096 or fewer in length.');
		}
	}
	if (embeds.reduce<number>((sum, embed) => sum + embedSize(embed), 0) > EMBED_TOTAL_LIMIT) {
		return invalidFormBody('embeds', 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
	}
	const mentionError = allowedMentionsError(body.allowed_mentions);
	if (mentionError) return invalidFormBody(mentionError.field, mentionError.code, mentionError.message);
	return undefined;
}

function isEmpty(fields: {
	content: string;
	embeds: unknown[];
	attachments: unknown[];
	components: unknown[];
}): boolean {
	return (
		fields.content.trim() === '' &&
		fields.embeds.length === 0 &&
		fields.attachments.length === 0 &&
		fields.components.length === 0
	);
}

function uploadedAttachments(
	state: FakeState,
	channelId: string,
	body: MessageBody,
	files: UploadedFile[],
): StoredAttachment[] {
	return files.map((file, index) => {
		const described = body.attachments?.find((attachment) => String(attachment.id) === String(index));
		return registerAttachment(state, channelId, {
			filename: described?.filename ?? file.filename,
			contentType: file.contentType,
			data: file.data,
		});
	});
}

export type NewMessageOptions = {
	/** Forum starter messages share the thread's id. */
	id?: string;
	channelId: string;
	author: FakeUser;
	body: MessageBody;
	files: UploadedFile[];
	type?: number;
	extraFlags?: number;
	interactionToken?: string;
	/** Interaction responses may be empty while "thinking" (deferred). */
	allowEmpty?: boolean;
};

/** Validates and stores a bot-authored message; returns an error response instead when Discord would refuse it. */
export function createMessage(state: FakeState, options: NewMessageOptions): StoredMessage | RestResponse {
	const { body, files } = options;
	const invalid = validateMessageBody(body);
	if (invalid) return invalid;
	const content = body.content ?? '';
	const components = body.components ?? [];
	const embeds = body.embeds ?? [];
	const hasExtras = (body.sticker_ids?.length ?? 0) > 0 || body.poll !== undefined;
	if (options.allowEmpty !== true && !hasExtras && isEmpty({ content, embeds, attachments: files, components })) {
		return ERRORS.emptyMessage();
	}
	let messageReference: StoredMessage['messageReference'];
	const reference = body.message_reference;
	if (reference?.message_id !== undefined) {
		const target = state.messages.get(reference.message_id);
		if (target && !target.deleted) messageReference = { messageId: target.id, channelId: target.channelId };
		else if (reference.fail_if_not_exists !== false) {
			return invalidFormBody('message_reference', 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', 'Unknown message');
		}
	}
	const message = newMessage(state, {
		...(options.id === undefined ? {} : { id: options.id }),
		channelId: options.channelId,
		author: options.author,
		content,
		components,
		embeds,
		attachments: uploadedAttachments(state, options.channelId, body, files),
		messageReference,
		type: options.type ?? (messageReference ? 19 : 0),
		flags: ((body.flags ?? 0) & SETTABLE_FLAGS) | (options.extraFlags ?? 0),
		...(options.interactionToken === undefined ? {} : { interactionToken: options.interactionToken }),
	});
	message.allowedMentions = [body.allowed_mentions];
	return storeMessage(state, message);
}

/** Applies a PATCH body; records a new version (and its allowed_mentions) on success. */
export function editMessage(
	state: FakeState,
	message: StoredMessage,
	body: MessageBody,
	files: UploadedFile[],
): RestResponse | undefined {
	const invalid = validateMessageBody(body);
	if (invalid) return invalid;
	const content = 'content' in body ? (body.content ?? '') : message.content;
	const embeds = body.embeds ?? message.embeds;
	const components = body.components ?? message.components;
	const keep = body.attachments?.map((attachment) => String(attachment.id));
	const attachments = [
		...message.attachments.filter((attachment) => keep === undefined || keep.includes(attachment.id)),
		...uploadedAttachments(state, message.channelId, body, files),
	];
	if (isEmpty({ content, embeds, attachments, components })) return ERRORS.emptyMessage();
	message.content = content;
	message.embeds = embeds;
	message.components = components;
	message.attachments = attachments;
	message.versions.push(content);
	message.allowedMentions.push(body.allowed_mentions);
	message.flags &= ~LOADING;
	if (body.flags !== undefined) message.flags = (message.flags & ~4) | (body.flags & 4);
	message.editedAt = Date.now();
	return undefined;
}

/** Echoes a message event to connected clients like Discord does (ephemeral messages are never dispatched). */
export function publishMessage(
	state: FakeState,
	message: StoredMessage,
	event: 'MESSAGE_CREATE' | 'MESSAGE_UPDATE',
): void {
	if ((message.flags & EPHEMERAL) !== 0) return;
	state.dispatch(event, messagePayload(state, message, { gateway: true }));
}

export function publishDelete(state: FakeState, message: StoredMessage): void {
	message.deleted = true;
	if ((message.flags & EPHEMERAL) !== 0) return;
	const guildId = guildOfChannel(state, message.channelId).id;
	state.dispatch('MESSAGE_DELETE', { id: message.id, channel_id: message.channelId, guild_id: guildId });
}
