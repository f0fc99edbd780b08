/** What one Discord message of a reply should show. `live` is true while the reply is still being written. */
export type MessageState = { readonly content: string; readonly live: boolean };

/** A message the bot sent and may edit. */
export type EditableMessage = {
	readonly id: string;
	edit(state: MessageState): Promise<void>;
	delete(): Promise<void>;
};

/** Where a reply goes: a thread, a channel, or an interaction's reply and follow-ups. */
export type ReplyTarget = {
	/** The channel whose per-channel write limit these writes count against; undefined for interaction webhooks. */
	readonly channelId: string | undefined;
	send(state: MessageState): Promise<EditableMessage>;
	sendTyping(): Promise<void>;
};

/** Why a reply can no longer be posted: its thread was deleted or archived, or the bot may not write there. */
export type GoneReason = 'deleted' | 'archived' | 'forbidden';

/** Thrown by a ReplyTarget when writing there again is pointless (and only adds to Discord's invalid requests). */
export class ReplyTargetGone extends Error {
	override readonly name = 'ReplyTargetGone';
	readonly reason: GoneReason;

	constructor(reason: GoneReason, options: { cause?: unknown } = {}) {
		super(`The reply's destination is gone (${reason})`, options);
		this.reason = reason;
	}
}

/** Thrown by EditableMessage.edit when the message was deleted (by a moderator): it must not be posted again. */
export class ReplyMessageDeleted extends Error {
	override readonly name = 'ReplyMessageDeleted';
}
