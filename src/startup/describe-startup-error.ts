import { DiscordjsErrorCodes } from 'discord.js';
import { describeDatabaseError } from './describe-database-error.js';
import { DiscordUnreachableError } from '../discord/client/check-discord.js';
import { DatabaseOpenError } from '../store/sqlite/open-database.js';
import { RedisOpenError } from '../limits/redis/connect-redis.js';
import { PostgresOpenError } from '../store/postgres/open-postgres-stores.js';

const AUTHENTICATION_FAILED_CLOSE_CODE = 4004;
const DISALLOWED_INTENTS_CLOSE_CODE = 4014;
const NEW_TOKEN =
	'Copy a fresh token from https://discord.com/developers/applications → your application → Bot → Reset Token into DISCORD_TOKEN.';

/** A start-up failure in one line a server owner can act on: the setting to fix and how. */
export function describeStartupError(error: unknown): string {
	if (error instanceof DatabaseOpenError) return describeDatabaseError(error);
	if (
		error instanceof DiscordUnreachableError ||
		error instanceof PostgresOpenError ||
		error instanceof RedisOpenError
	) {
		return error.message;
	}
	const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
	const message = error instanceof Error ? error.message : String(error);
	if (code === DiscordjsErrorCodes.TokenInvalid) return `Discord rejected DISCORD_TOKEN. ${NEW_TOKEN}`;
	// REST accepted the token but the gateway closed with 4004: @discordjs/ws rejects login() with a bare Error.
	if (code === AUTHENTICATION_FAILED_CLOSE_CODE || message === 'Authentication failed') {
		return `Discord's gateway rejected DISCORD_TOKEN (Authentication failed). ${NEW_TOKEN}`;
	}
	if (code === DISALLOWED_INTENTS_CLOSE_CODE || /disallowed intents/i.test(message)) {
		return 'Discord refused the Message Content intent. Turn on "Message Content Intent" under Bot → Privileged Gateway Intents in the Developer Portal.';
	}
	if (typeof code === 'string' && code.startsWith('SQLITE_')) {
		return `the database at DATABASE_PATH failed: ${message}. Check the file and the disk it is on.`;
	}
	return message.split('\n')[0] ?? message;
}
