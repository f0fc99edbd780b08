import { REST, Routes } from 'discord.js';
import type { APIApplication } from 'discord.js';
import { config as loadDotenv } from 'dotenv';
import { createCommands } from '../commands/index.js';
import { registerCommands } from '../commands/register-commands.js';
import { ConfigError, parseConfig } from '../config/config.js';
import { createLogger } from '../log/logger.js';
import { openStores } from '../store/open-stores.js';

// `npm run commands`: registers the slash commands now, even if they look unchanged (e.g. after someone
// deleted them in the Developer Portal). The bot itself registers them at start-up only when they changed.
loadDotenv({ quiet: true });
// The commands' definitions depend on GEMINI_MODEL(S) (/model's choices); the hash and scope live in the database.
const COMMAND_SETTINGS = [
	'DISCORD_TOKEN',
	'DISCORD_API_BASE',
	'DISCORD_GUILD_ID',
	'GEMINI_MODEL',
	'GEMINI_MODELS',
	'DATABASE_PATH',
	'DATABASE_URL',
	'LOG_LEVEL',
] as const;
const pick = (env: NodeJS.ProcessEnv, names: readonly string[]) =>
	Object.fromEntries(names.flatMap((name) => (env[name] === undefined ? [] : [[name, env[name]]])));
try {
	// Only what registering needs: a missing or odd Gemini setting must not stop it.
	const config = parseConfig({ ...pick(process.env, COMMAND_SETTINGS), GEMINI_API_KEY: 'not-used-to-register' });
	const logger = createLogger(config.logLevel === 'silent' ? 'silent' : 'info');
	const rest = new REST(config.discordApiBase === undefined ? {} : { api: config.discordApiBase }).setToken(
		config.discordToken,
	);
	const commands = createCommands(config);
	const application = (await rest.get(Routes.currentApplication())) as APIApplication;
	const stores = await openStores({
		databasePath: config.databasePath,
		databaseUrl: config.databaseUrl,
		poolSize: 1,
		logger: createLogger('silent'),
	});
	await registerCommands({
		rest,
		applicationId: application.id,
		guildId: config.discordGuildId,
		commands,
		settings: stores.settings,
		logger,
		force: true,
	});
	await stores.database.close();
	process.stdout.write(
		`Registered ${commands.length} commands ${config.discordGuildId ? `in server ${config.discordGuildId}` : 'globally (Discord may take up to an hour to show them everywhere)'}.\n`,
	);
} catch (error) {
	const message = error instanceof ConfigError ? error.message : error instanceof Error ? error.message : String(error);
	process.stderr.write(`Could not register the commands: ${message}\n`);
	process.exitCode = 1;
}
