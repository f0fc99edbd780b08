import { DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';

/** Discord refused because the bot lacks access to the channel or a permission in it. */
export function isMissingPermission(error: unknown): boolean {
	return (
		error instanceof DiscordAPIError &&
		(error.code === RESTJSONErrorCodes.MissingPermissions || error.code === RESTJSONErrorCodes.MissingAccess)
	);
}
