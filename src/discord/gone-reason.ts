import { DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';
import type { GoneReason } from './reply-target.js';
import { ReplyTargetGone } from './reply-target.js';

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
