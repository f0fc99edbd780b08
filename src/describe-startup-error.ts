import { DiscordjsErrorCodes } from 'discord.js';

const DISALLOWED_INTENTS_CLOSE_CODE = 4014;

/** A start-up failure in words a server owner can act on. */
export function describeStartupError(error: unknown): string {
	const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
	if (code === DiscordjsErrorCodes.TokenInvalid) {
		return 'Discord rejected DISCORD_TOKEN. Copy a fresh token from https://discord.com/developers/applications → your application → Bot → Reset Token.';
	}
	if (code === DISALLOWED_INTENTS_CLOSE_CODE || (error instanceof Error && /disallowed intents/i.test(error.message))) {
		return 'Discord refused the Message Content intent. Turn on "Message Content Intent" under Bot → Privileged Gateway Intents in the Developer Portal.';
	}
	if (code === 'SQLITE_CANTOPEN') return 'the database file cannot be opened; check DATABASE_PATH and its permissions.';
	return error instanceof Error ? error.message : String(error);
}
