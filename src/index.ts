import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import type { Client } from 'discord.js';
import { Events, RESTEvents } from 'discord.js';
import { generateReply } from './chat/generate-reply.js';
import { createKeyedLock } from './chat/keyed-lock.js';
import { createResponder } from './chat/respond.js';
import type { Config } from './config.js';
import { createDiscordClient } from './discord/create-discord-client.js';
import { createMessageHandler } from './discord/on-message.js';
import { createGeminiClient } from './llm/create-gemini-client.js';
import { createGeminiModel } from './llm/gemini-model.js';
import { ModelError } from './llm/model-error.js';
import { createModelQueue } from './llm/model-queue.js';
import type { Logger } from './logger.js';
import { MIGRATIONS_DIRECTORY, migrate } from './store/migrate.js';
import type { SqliteDatabase } from './store/open-database.js';
import { openDatabase } from './store/open-database.js';
import { createSessionStore } from './store/session-store.js';
import { createPersonaStore } from './store/persona-store.js';
import { createSettingsStore } from './store/settings-store.js';
import { createUsageStore } from './store/usage-store.js';
import { createActiveReplies } from './chat/active-replies.js';
import type { CommandDeps } from './commands/command.js';
import { buttons, createCommands } from './commands/index.js';
import { registerCommands } from './commands/register-commands.js';
import { createInteractionHandler } from './discord/on-interaction.js';

export type Bot = {
	readonly client: Client<true>;
	readonly db: SqliteDatabase;
	/** Stops taking messages, lets running replies finish (or stops them after `graceMs`), then disconnects. */
	stop(graceMs?: number): Promise<void>;
};

const SHUTDOWN_NOTE = 'The bot restarted before finishing this answer. Send a message to continue.';

/** The composition root: builds every part from config, logs in, and resolves once Discord says ready. */
export async function startBot(config: Config, logger: Logger): Promise<Bot> {
	const db = openDatabase(config.databasePath);
	const migration = migrate(db, MIGRATIONS_DIRECTORY);
	logger.info(migration, 'database ready');
	const sessions = createSessionStore(db);
	const personas = createPersonaStore(db);
	const settings = createSettingsStore(db);
	const usage = createUsageStore(db);
	const model = createGeminiModel({
		client: createGeminiClient({ apiKey: config.geminiApiKey, baseUrl: config.geminiBaseUrl }),
	});
	const queue = createModelQueue({
		concurrency: config.geminiConcurrency,
		requestsPerMinute: config.geminiRequestsPerMinute,
	});
	const shutdown = new AbortController();
	const activeReplies = createActiveReplies();
	const generate: CommandDeps['generate'] = (request, target, signal) =>
		generateReply(
			{
				model,
				queue,
				logger,
				maxAttempts: config.geminiMaxAttempts,
				idleTimeoutMs: config.geminiIdleTimeoutMs,
				minEditIntervalMs: config.streamEditIntervalMs,
			},
			request,
			target,
			signal ? AbortSignal.any([signal, shutdown.signal]) : shutdown.signal,
		);
	const modelFor = (channelId: string): string => {
		const chosen = settings.channelModel(channelId)?.model;
		// A model later removed from GEMINI_MODELS falls back to the default instead of failing every reply.
		return chosen !== undefined && config.geminiModels.includes(chosen) ? chosen : config.geminiModel;
	};
	const respond = createResponder({
		store: sessions,
		usage,
		threadLock: createKeyedLock(),
		activeReplies,
		generate,
		modelFor,
		personaFor: (threadId, channelId) => personas.effective(threadId, channelId)?.prompt,
		contextTokenBudget: config.contextTokenBudget,
		logger,
	});
	const handleMessage = createMessageHandler({ store: sessions, respond, logger });
	const commandDeps: CommandDeps = {
		config,
		logger,
		sessions,
		personas,
		settings,
		usage,
		activeReplies,
		respond,
		generate,
		modelFor,
	};
	const commands = createCommands(config);
	const handleInteraction = createInteractionHandler(commandDeps, commands, buttons);

	const client = createDiscordClient({ apiBase: config.discordApiBase });
	const running = new Set<Promise<void>>();
	const track = (work: Promise<void>): void => {
		running.add(work);
		void work.finally(() => running.delete(work));
	};
	client.on(Events.MessageCreate, (message) => {
		track(handleMessage(message));
	});
	client.on(Events.InteractionCreate, (interaction) => {
		track(handleInteraction(interaction));
	});
	client.on(Events.Error, (error) => {
		logger.error({ err: error }, 'discord client error');
	});
	client.on(Events.ShardDisconnect, (event) => {
		logger.warn({ code: event.code }, 'gateway disconnected');
	});
	client.rest.on(RESTEvents.RateLimited, (info) => {
		logger.debug(
			{ route: info.route, retryAfter: info.retryAfter, global: info.global },
			'discord rate limit: waiting',
		);
	});

	const ready = once(client, Events.ClientReady);
	try {
		await client.login(config.discordToken);
		await ready;
	} catch (error) {
		await client.destroy();
		db.close();
		throw error;
	}
	logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'logged in to Discord');
	try {
		await registerCommands({
			rest: client.rest,
			applicationId: client.application?.id ?? client.user?.id ?? '',
			guildId: config.discordGuildId,
			commands,
			settings,
			logger,
		});
	} catch (error) {
		// The bot still answers mentions; commands from an earlier registration keep working.
		logger.error({ err: error }, 'slash command registration failed');
	}
	logger.info('ready');

	return {
		client: client as Client<true>,
		db,
		async stop(graceMs = 15_000) {
			client.removeAllListeners(Events.MessageCreate);
			client.removeAllListeners(Events.InteractionCreate);
			const timer = setTimeout(() => {
				shutdown.abort(new ModelError('stopped', SHUTDOWN_NOTE));
			}, graceMs);
			// Aborted replies still make their final edit and store their turn; wait for that, within reason.
			await Promise.race([Promise.allSettled([...running]), delay(graceMs + 10_000)]);
			clearTimeout(timer);
			queue.clear();
			await client.destroy();
			db.close();
			logger.info('stopped');
		},
	};
}
