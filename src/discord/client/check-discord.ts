import { DiscordAPIError, DiscordjsErrorCodes, REST, Routes } from 'discord.js';

/** Discord could not be reached at all (DNS, refused, timed out): the network, or DISCORD_API_BASE. */
export class DiscordUnreachableError extends Error {
	override readonly name = 'DiscordUnreachableError';
	constructor(apiBase: string | undefined, reason: string) {
		super(
			`could not reach Discord at ${apiBase ?? 'https://discord.com/api'} (${reason}): check this machine's network and DNS` +
				(apiBase === undefined ? '.' : ', and DISCORD_API_BASE.'),
		);
	}
}

/** A rejected token, with the code describeStartupError knows. */
class TokenRejectedError extends Error {
	readonly code = DiscordjsErrorCodes.TokenInvalid;
}

/**
 * One REST call (the one login starts with) before anything is opened, so that an unreachable Discord or a rejected
 * token stops the start before a database file is created.
 */
export async function checkDiscord(options: {
	readonly apiBase: string | undefined;
	readonly token: string;
	readonly timeoutMs?: number;
}): Promise<void> {
	const rest = new REST({ ...(options.apiBase === undefined ? {} : { api: options.apiBase }), retries: 0 });
	rest.setToken(options.token);
	try {
		await rest.get(Routes.gatewayBot(), { signal: AbortSignal.timeout(options.timeoutMs ?? 15_000) });
	} catch (error) {
		if (error instanceof DiscordAPIError && error.status === 401) throw new TokenRejectedError('401 Unauthorized');
		// Any other answer from Discord (a 5xx, a 429) is for the login's own retries to deal with.
		if (error instanceof DiscordAPIError) return;
		throw new DiscordUnreachableError(options.apiBase, networkReason(error));
	}
}

function networkReason(error: unknown): string {
	const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
	if (cause instanceof Error && cause.name === 'TimeoutError') return 'no answer within 15 s';
	const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : undefined;
	const message = cause instanceof Error ? cause.message : String(cause);
	return code !== undefined && !message.includes(code) ? `${code}: ${message}` : message;
}
