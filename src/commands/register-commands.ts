import { createHash } from 'node:crypto';
import type { REST } from 'discord.js';
import { Routes } from 'discord.js';
import type { Logger } from '../logger.js';
import type { SettingsStore } from '../store/settings-store.js';
import type { Command } from './command.js';

const HASH_KEY = 'commands_hash';

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
	if (!options.force && options.settings.state(HASH_KEY) === hash) {
		options.logger.debug({ scope }, 'slash commands unchanged');
		return { registered: false };
	}
	const route =
		options.guildId === undefined
			? Routes.applicationCommands(options.applicationId)
			: Routes.applicationGuildCommands(options.applicationId, options.guildId);
	await options.rest.put(route, { body });
	options.settings.setState(HASH_KEY, hash);
	options.logger.info({ scope, commands: body.length }, 'slash commands registered');
	return { registered: true };
}
