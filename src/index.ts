// Longer than our usual file on purpose: the composition root is the one place that builds and wires every part from
// config (stores, queue, model, Discord handlers, start-up checks, recovery, shutdown order); splitting it would only
// pass the same locals through more files.
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import type { Client } from 'discord.js';
import { Events } from 'discord.js';
import { createActiveReplies } from './chat/active-replies.js';
import { generateReply } from './chat/generate-reply.js';
import { createKeyedLock } from './concurrency/keyed-lock.js';
import { createResponder } from './chat/respond.js';
import type { CommandDeps } from './commands/command.js';
import { buttons, createCommands } from './commands/index.js';
import { registerCommands } from './commands/register-commands.js';
import type { Config } from './config/config.js';
import { createDiscordClient } from './discord/client/create-discord-client.js';
import { checkDiscord } from './discord/client/check-discord.js';
import { createRecoveryPort } from './discord/events/create-recovery-port.js';
import { discordWriteBudget } from './discord/targets/discord-write-budget.js';
import { logClientEvents } from './discord/client/log-client-events.js';
import { createInteractionHandler } from './discord/events/on-interaction.js';
import { createMessageHandler } from './discord/events/on-message.js';
import { createPermissionNotices } from './discord/client/permission-notices.js';
import { wireChangeEvents } from './discord/events/wire-change-events.js';
import { checkModelNames } from './llm/check-model-names.js';
import { createProviders } from './llm/providers/create-providers.js';
import { drawImage } from './images/draw-image.js';
import { startHealthChecks } from './health/start-health-checks.js';
import { ModelError } from './llm/model-error.js';
import { createModelGate } from './llm/model-gate.js';
import { createModelQueue } from './llm/model-queue.js';
import type { Logger } from './log/logger.js';
import { shardOfGuild } from './domain/shard-of-guild.js';
import { createRecovery } from './recovery/create-recovery.js';
import type { DatabaseWatch } from './recovery/database-watch.js';
import { createDatabaseWatch } from './recovery/database-watch.js';
import type { OpenedStores } from './store/ports/stores.js';
import { openLimits } from './limits/open-limits.js';
import { openStores } from './store/open-stores.js';
import { createAttachmentFetcher } from './attachments/attachment-fetcher.js';
import { createThreadMemory } from './memory/thread-memory.js';
import { createAccessGate } from './access/access-gate.js';
import { createBudgetLedger } from './access/budget-ledger.js';
import { createMemberCap } from './access/member-cap.js';
import { createRetentionJob } from './privacy/retention-job.js';
import { createForgetConfirmations } from './commands/forget-confirmations.js';
import { forgetDeletedThread } from './chat/forget-thread.js';
import { summaryOptions } from './settings/model-settings.js';
import { createSettingsLookup } from './settings/settings-lookup.js';

export type Bot = {
	readonly client: Client<true>;
	readonly stores: OpenedStores;
	/** Resolves once start-up recovery (interrupted replies, catch-up) has run. */
	readonly recovered: Promise<void>;
	/**
	 * Stops taking messages, ends replies still waiting at once, lets running replies finish (or stops them after
	 * `graceMs`), then disconnects.
	 */
	stop(graceMs?: number): Promise<void>;
};

export const SHUTDOWN_NOTE = 'The bot is stopping, so this answer ends here. It will answer again once it is back.';
// Without catch-up, the next start does not come back to the question.
const SHUTDOWN_NOTE_WITHOUT_CATCH_UP = 'The bot is stopping, so this answer ends here. Ask again once it is back.';
// SIGTERM to exit must stay under 10 s (Docker and systemd kill after 10 s): grace, then final edits and close.
const DEFAULT_GRACE_MS = 5_000;
// Gemini takes about 20 MB per request, and base64 adds a third to every inline file.
const MAX_REQUEST_INLINE_BYTES = 14 * 1_048_576;
const FINAL_WRITES_MS = 3_000;

/** The composition root: builds every part from config, logs in, and resolves once Discord says ready. */
export type StartOptions = {
	/**
	 * `always` sends the slash commands at every start, for a Discord that forgets them between runs (the sandbox's
	 * emulator); by default they are sent only when they changed since the last registration.
	 */
	readonly registerCommands?: 'when-changed' | 'always';
};

export async function startBot(config: Config, logger: Logger, options: StartOptions = {}): Promise<Bot> {
	const providers = createProviders(config);
	// Before anything is opened: a mistyped model name stops the start with the names there are, and an unreachable
	// Discord or a rejected token stops it before a database file exists.
	await Promise.all([
		checkModelNames({
			config,
			addresses: providers.addresses,
			gemini: providers.geminiCatalog,
			endpointCatalog: (endpoint) => providers.endpointCatalog(endpoint),
			logger,
		}),
		checkDiscord({ apiBase: config.discordApiBase, token: config.discordToken }),
	]);
	// Set once logged in (the catch-up it runs needs Discord); an outage before that is covered by the start's.
	const outage: { watch?: DatabaseWatch } = {};
	// One process alone keeps its limits in memory; several share them through Redis (a start without it stops here).
	const limits = await openLimits({
		redisUrl: config.scaling.redisUrl,
		processes: config.scaling.processes,
		keyPrefix: config.scaling.redisKeyPrefix,
		logger,
	});
	const sharedError = (error: unknown): void => {
		logger.warn({ err: error }, 'a shared limit could not be updated');
	};
	const stores = await openStores({
		databasePath: config.databasePath,
		databaseUrl: config.databaseUrl,
		poolSize: config.databasePoolSize,
		logger,
		onUnavailable: () => outage.watch?.report(),
	}).catch(async (error: unknown) => {
		await limits.close();
		throw error;
	});
	const { sessions, personas, settings, usage, attachments, summaries, modelSettings, forget, database } = stores;
	const settingsFor = createSettingsLookup(modelSettings, {
		footer: config.showUsage,
		maxOutputTokens: config.maxOutputTokens,
	});
	const retention =
		config.retentionDays === undefined
			? undefined
			: createRetentionJob({ store: stores.retention, retentionDays: config.retentionDays, logger });
	const forgetConfirmations = createForgetConfirmations();
	const budgets = createBudgetLedger({
		usage,
		limits: { memberTokens: config.memberDailyTokens, guildTokens: config.guildDailyTokens },
		reservations: limits.totals,
		onRecordFailed: (error) => {
			logger.error({ err: error }, 'a usage record was lost: the database stayed away');
		},
	});
	const access = createAccessGate({ settingsFor, budgets, once: limits.once });
	const cap = createMemberCap(config.userQueueMax, limits.counters, sharedError);
	const contextMedia = {
		mediaTurns: config.contextMediaTurns,
		maxInlineBytes: MAX_REQUEST_INLINE_BYTES,
		attachmentsOf: (turnId: number) => attachments.of(turnId),
		bytesOf: (sha256: string) => attachments.bytes(sha256),
	};
	const files = {
		store: sessions,
		attachments,
		fetcher: createAttachmentFetcher({ origins: config.attachmentOrigins }),
		maxBytes: config.attachmentMaxBytes,
	};
	const model = providers.chat;
	const imageModel = providers.images;
	const queue = createModelQueue({
		concurrency: config.concurrency,
		gate: createModelGate(
			{
				requestsPerMinute: config.requestsPerMinute,
				requestsPerMinuteOf: { [config.geminiImageModel]: config.geminiImageRequestsPerMinute },
				tokensPerMinute: config.tokensPerMinute,
				lanes: providers.lanes,
			},
			Date.now,
			limits.state() === 'local' ? undefined : { lanes: limits.lanes, onError: sharedError },
		),
	});
	const budget = discordWriteBudget(config.scaling.processes > 1 ? limits.rate : undefined);
	const shutdown = new AbortController();
	let stopping = false;
	const activeReplies = createActiveReplies();
	const generate: CommandDeps['generate'] = (call, target, signal, hooks) =>
		generateReply(
			{
				model,
				queue,
				budget,
				logger,
				maxAttempts: config.maxAttempts,
				idleTimeoutMs: config.idleTimeoutMs,
				lanes: providers.addresses,
				labelOf: (name) => providers.labelOf(name),
				minEditIntervalMs: config.streamEditIntervalMs,
				defaultModel: config.defaultModel,
			},
			call,
			target,
			signal ? AbortSignal.any([signal, shutdown.signal]) : shutdown.signal,
			hooks,
		);
	const modelFor = async (channelId: string): Promise<string> => {
		const chosen = (await settings.channelModel(channelId))?.model;
		// A model later removed from GEMINI_MODELS falls back to the default instead of failing every reply.
		return chosen !== undefined && config.models.includes(chosen) ? chosen : config.defaultModel;
	};
	const modelsFor = async (channelId: string): Promise<string[]> => {
		const first = await modelFor(channelId);
		return [first, ...config.fallbackModels.filter((fallback) => fallback !== first)];
	};
	const memory = createThreadMemory({
		store: sessions,
		summaries,
		usage,
		queue,
		model,
		logger,
		tokenBudget: config.contextTokenBudget,
		media: contextMedia,
		idleTimeoutMs: config.idleTimeoutMs,
		modelsFor,
		optionsFor: async (threadId, channelId) => summaryOptions((await settingsFor(threadId, channelId)).values),
		signal: shutdown.signal,
	});
	const responder = createResponder({
		store: sessions,
		budgets,
		threadLock: createKeyedLock(),
		activeReplies,
		generate: (call, target, signal, hooks) => generate(call, target, signal, hooks),
		modelsFor,
		personaFor: async (threadId, channelId) => (await personas.effective(threadId, channelId))?.prompt,
		settingsFor,
		memory,
		contextTokenBudget: config.contextTokenBudget,
		contextMedia,
		accepts: (name) => providers.accepts(name),
		closing: () => stopping,
		logger,
	});
	const forgetDeleted = (threadId: string) =>
		forgetDeletedThread(
			{ store: sessions, forget, activeReplies, exclusive: (id, task) => responder.exclusive(id, task) },
			threadId,
		);
	const notices = createPermissionNotices(logger, limits.once);
	const draw: CommandDeps['draw'] =
		imageModel &&
		((call) => drawImage({ imageModel, queue, logger, maxAttempts: config.maxAttempts }, call, shutdown.signal));
	// One message of a channel at a time until it is stored: shared by new messages, edits, deletions and catch-up.
	const intake = createKeyedLock();
	const handleMessage = createMessageHandler({
		store: sessions,
		intake,
		responder,
		access,
		cap,
		notices,
		budget,
		files,
		redraw: { sessions, attachments, budgets, draw, imageModel: config.geminiImageModel, logger },
		logger,
	});
	const commandDeps: CommandDeps = {
		config,
		logger,
		sessions,
		personas,
		settings,
		modelSettings,
		settingsFor,
		usage,
		access,
		budgets,
		cap,
		summarizing: new Set(),
		summaries,
		attachments,
		forget,
		forgetConfirmations,
		activeReplies,
		responder,
		intake,
		generate,
		modelFor,
		modelsFor,
		isGemini: (name) => providers.isGemini(name),
		notices,
		budget,
		files,
		draw,
	};
	const commands = createCommands(config);
	const handleInteraction = createInteractionHandler(commandDeps, commands, buttons);

	const client = createDiscordClient({
		apiBase: config.discordApiBase,
		shards: { count: config.scaling.shardCount, ids: config.scaling.shardIds },
	});
	const running = new Set<Promise<unknown>>();
	const track = (work: Promise<unknown>): void => {
		running.add(work);
		void work.finally(() => running.delete(work)).catch(() => undefined);
	};
	client.on(Events.MessageCreate, (message) => {
		track(handleMessage(message));
	});
	client.on(Events.InteractionCreate, (interaction) => {
		track(handleInteraction(interaction));
	});
	wireChangeEvents(client, { store: sessions, activeReplies, intake, forgetDeletedThread: forgetDeleted, logger });
	logClientEvents(client, logger);

	const ready = once(client, Events.ClientReady);
	try {
		await client.login(config.discordToken);
		await ready;
	} catch (error) {
		await client.destroy();
		await database.close();
		await limits.close();
		throw error;
	}
	const readyClient = client as Client<true>;
	let stopped: Promise<void> | undefined;
	// Known once logged in (SHARD_COUNT=auto asks Discord): a server's threads belong to the process of its shard.
	const shardCount = readyClient.options.shardCount ?? 1;
	const ownShards = new Set(readyClient.ws.shards.map((shard) => shard.id));
	const ownsGuild = (guildId: string): boolean => ownShards.has(shardOfGuild(guildId, shardCount));
	// What only one process should do (registering the commands, retention): the one that runs shard 0.
	const leading = ownShards.has(0);
	logger.info(
		{ user: readyClient.user.tag, guilds: client.guilds.cache.size, shards: [...ownShards], shardCount },
		'logged in to Discord',
	);
	const health = await startHealthChecks({
		port: config.healthPort,
		host: config.healthHost,
		client,
		database,
		queue,
		logger,
		...(config.scaling.processes > 1
			? { scaled: { shards: { ids: [...ownShards], count: shardCount }, limits: () => limits.state() } }
			: {}),
	}).catch(async (error: unknown) => {
		await client.destroy();
		await database.close();
		await limits.close();
		throw error;
	});
	const recovery = createRecovery({
		store: sessions,
		discord: createRecoveryPort({ client: readyClient, responder, notices, access, cap, track }),
		logger,
		intake,
		catchUpWindowMs: config.catchUpWindowMs,
		forgetDeletedThread: forgetDeleted,
		ownsGuild,
	});
	outage.watch = createDatabaseWatch({
		probe: () => database.probe(),
		onBack: () => {
			const caughtUp = recovery.afterOutage();
			track(caughtUp);
			return caughtUp;
		},
		logger,
	});
	const recovered = recovery.afterStart();
	track(recovered);
	if (leading) retention?.start();
	try {
		if (leading) {
			await registerCommands({
				rest: client.rest,
				applicationId: client.application?.id ?? readyClient.user.id,
				guildId: config.discordGuildId,
				commands,
				settings,
				logger,
				force: options.registerCommands === 'always',
			});
		}
	} catch (error) {
		// The bot still answers mentions; commands from an earlier registration keep working.
		logger.error({ err: error }, 'slash command registration failed');
	}
	logger.info('ready');

	return {
		client: readyClient,
		stores,
		recovered,
		stop(graceMs = DEFAULT_GRACE_MS) {
			// A second signal (Ctrl+C twice, or npm forwarding one more) joins the shutdown already under way.
			stopped ??= shutDown(graceMs);
			return stopped;
		},
	};

	async function shutDown(graceMs: number): Promise<void> {
		stopping = true;
		outage.watch?.stop();
		client.removeAllListeners(Events.MessageCreate);
		client.removeAllListeners(Events.InteractionCreate);
		const note = config.catchUpWindowMs > 0 ? SHUTDOWN_NOTE : SHUTDOWN_NOTE_WITHOUT_CATCH_UP;
		const stopWith = new ModelError('shutdown', note);
		// Replies still waiting for Gemini would only make members wait longer: the next start answers them.
		for (const reply of activeReplies.list()) if (!reply.started) activeReplies.stop(reply.threadId, stopWith);
		const timer = setTimeout(() => {
			shutdown.abort(stopWith);
		}, graceMs);
		// Aborted replies still make their final edit and store their turn; wait for that, within reason.
		const giveUp = new AbortController();
		await Promise.race([
			Promise.allSettled([...running]),
			delay(graceMs + FINAL_WRITES_MS, undefined, { signal: giveUp.signal }).catch(() => undefined),
		]);
		giveUp.abort();
		clearTimeout(timer);
		shutdown.abort(stopWith);
		queue.clear();
		await memory.settle();
		await retention?.stop();
		forgetConfirmations.clear();
		await health?.close();
		await client.destroy();
		await database.close();
		await limits.close();
		logger.info('stopped');
	}
}
