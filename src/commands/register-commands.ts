import { createHash } from 'node:crypto';
import type { REST } from 'discord.js';
import { DiscordAPIError, RESTJSONErrorCodes, Routes } from 'discord.js';
import type { Logger } from '../log/logger.js';
import type { SettingsStore } from '../store/ports/settings-store.js';
import type { Command } from './command.js';

const HASH_KEY = 'commands_hash';
// Where the commands were registered last ('global' or 'guild:<id>'), to take them out of there after a switch.
const SCOPE_KEY = 'commands_scope';

export type RegisterCommandsOptions = {
	readonly rest: REST;
	readonly applicationId: string;
	/** Register in this server only (instant) instead of globally. */
	readonly guildId: string | undefined;
	readonly commands: readonly Command[];
	readonly settings: SettingsStore;
	readonly logger: Logger;
	/** Register even if nothing changed since the last registration. */
	readonly force?: boolean;
};

/**
 * Bulk-overwrites the slash commands when their definitions (or the target server) changed since the last
 * registration, which is remembered as a hash in the database. Discord rate-limits command registration, so
 * starting the bot does not re-send unchanged commands.
 */
export async function registerCommands(options: RegisterCommandsOptions): Promise<{ registered: boolean }> {
	const body = options.commands.map((command) => command.data);
	const scope = options.guildId === undefined ? 'global' : `guild:${options.guildId}`;
	const hash = createHash('sha256')
		.update(JSON.stringify({ scope, applicationId: options.applicationId, body }))
		.digest('hex');
	if (!options.force && (await options.settings.state(HASH_KEY)) === hash) {
		options.logger.debug({ scope }, 'slash commands unchanged');
		return { registered: false };
	}
	const route = routeOf(options.applicationId, scope);
	await options.rest.put(route, { body });
	// Commands left in the scope no longer used would show twice (or linger in a server the bot left for global).
	for (const stale of staleScopes(scope, await options.settings.state(SCOPE_KEY))) {
		try {
			await options.rest.put(routeOf(options.applicationId, stale), { body: [] });
			options.logger.info({ scope: stale }, 'slash commands removed from the scope no longer used');
		} catch (error) {
			// A server the bot is no longer in (or an application it no longer is) has nothing left to remove there.
			if (!isGone(error)) throw error;
			options.logger.info({ scope: stale }, 'the scope no longer used is out of reach; nothing to remove there');
		}
	}
	await options.settings.setState(SCOPE_KEY, scope);
	await options.settings.setState(HASH_KEY, hash);
	options.logger.info({ scope, commands: body.length }, 'slash commands registered');
	return { registered: true };
}

/** Missing Access, Unknown Guild, Unknown Application. */
const GONE_CODES: readonly unknown[] = [
	RESTJSONErrorCodes.MissingAccess,
	RESTJSONErrorCodes.UnknownGuild,
	RESTJSONErrorCodes.UnknownApplication,
];

const isGone = (error: unknown): boolean => error instanceof DiscordAPIError && GONE_CODES.includes(error.code);

function routeOf(applicationId: string, scope: string): `/${string}` {
	return scope === 'global'
		? Routes.applicationCommands(applicationId)
		: Routes.applicationGuildCommands(applicationId, scope.slice('guild:'.length));
}

/**
 * The scopes to empty after registering in `scope`: the one used before, if different, and, for a server, the
 * global list (a database from before the scope was remembered may have left commands there).
 */
export function staleScopes(scope: string, previous: string | undefined): string[] {
	const stale = new Set<string>();
	if (previous !== undefined && previous !== scope) stale.add(previous);
	if (scope !== 'global' && previous === undefined) stale.add('global');
	return [...stale];
}
