import { DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';
import type { GoneReason } from '../../reply/reply-target.js';
import { ReplyMessageDeleted, ReplyTargetGone } from '../../reply/reply-target.js';

/** Discord errors after which writing to the same channel again is pointless. */
export function goneReason(error: unknown): GoneReason | undefined {
	if (!(error instanceof DiscordAPIError)) return undefined;
	switch (error.code) {
		case RESTJSONErrorCodes.UnknownChannel:
			return 'deleted';
		case RESTJSONErrorCodes.InvalidActionOnArchivedThread:
			return 'archived';
		case RESTJSONErrorCodes.MissingAccess:
		case RESTJSONErrorCodes.MissingPermissions:
			return 'forbidden';
		default:
			return undefined;
	}
}

/** Runs a Discord write, turning "the channel is gone" errors into the port's ReplyTargetGone. */
export async function writeOrGone<T>(write: () => Promise<T>): Promise<T> {
	try {
		return await write();
	} catch (error) {
		const reason = goneReason(error);
		throw reason === undefined ? error : new ReplyTargetGone(reason, { cause: error });
	}
}

/** An edit of one message of a reply: a message deleted meanwhile (10008) becomes the port's ReplyMessageDeleted. */
export async function editOrDeleted(edit: () => Promise<unknown>): Promise<void> {
	try {
		await writeOrGone(edit);
	} catch (error) {
		if (error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownMessage) {
			throw new ReplyMessageDeleted('The message was deleted', { cause: error });
		}
		throw error;
	}
}
