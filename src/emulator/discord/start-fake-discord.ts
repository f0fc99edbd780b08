import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCdn } from './cdn.js';
import { dispatchButton, dispatchSlash } from './dispatch-interaction.js';
import { createGateway } from './gateway.js';
import { createGlobalRateLimiter } from './global-rate-limit.js';
import { interactionOfMessage } from './interaction-of-message.js';
import { createGuildHandles, MODERATOR_PERMISSIONS } from './guild-handles.js';
import { memberActions } from './member-actions.js';
import { pingsOf } from './mentions.js';
import { createChannelPermissions } from './permissions-by-channel.js';
import { createMessageRateLimiter } from './rate-limits.js';
import { createRestRouter } from './rest-router.js';
import { commandRoutes } from './routes-commands.js';
import { interactionRoutes } from './routes-interactions.js';
import { messageRoutes } from './routes-messages.js';
import { miscRoutes } from './routes-misc.js';
import { threadRoutes } from './routes-threads.js';
import { setPermissionOverwrite } from './set-permission-overwrite.js';
import { shardOf } from './snowflake.js';
import { createChannel, createFakeState, guildOfChannel, isThread, type ShardingSettings } from './state.js';
import type { FakeDiscord, StartFakeDiscordOptions } from './types.js';
import { addGuildChannel, addGuildUser, seedMessages, userCreatesThread, userSays } from './user-actions.js';
import { waitForChange } from './wait-for.js';

const DEFAULT_HEARTBEAT_INTERVAL_MS = 41_250;
const DEFAULT_INTERACTION_DEADLINE_MS = 3_000;
const DEFAULT_MESSAGE_RATE_LIMIT = { limit: 5, windowMs: 5_000, advertise: true };

function positiveInteger(name: string, value: number): number {
	if (!Number.isSafeInteger(value) || value < 1) throw new Error(`fake-discord: ${name} must be a positive integer`);
	return value;
}

function shardingSettings(options: StartFakeDiscordOptions): ShardingSettings {
	return {
		recommendedShards: positiveInteger('recommendedShards', options.recommendedShards ?? 1),
		maxConcurrency: positiveInteger('maxConcurrency', options.maxConcurrency ?? 1),
		sessionStartTotal: 1_000,
		sessionStartRemaining: 999,
		sessionStartResetAfterMs: 14_400_000,
		identifySpacingMs: options.identifySpacingMs ?? 0,
		requiredShards: options.requireSharding,
	};
}

/** Starts an in-process Discord (REST v10 + Gateway v10) on 127.0.0.1 with a guild, #general and four users. */
export async function startFakeDiscord(options: StartFakeDiscordOptions = {}): Promise<FakeDiscord> {
	const state = createFakeState({
		token: options.token ?? 'fake-bot-token',
		interactionDeadlineMs: options.interactionDeadlineMs ?? DEFAULT_INTERACTION_DEADLINE_MS,
		sharding: shardingSettings(options),
		guildShard: options.guildShard,
		guildName: options.guildName,
		foundedAt: options.foundedAt,
		keepRecords: options.keepRecords,
	});
	const first = state.guild;
	const users = {
		alice: addGuildUser(state, first, { username: 'alice', globalName: 'Alice' }),
		bob: addGuildUser(state, first, { username: 'bob', globalName: 'Bob' }),
		moderator: addGuildUser(state, first, {
			username: 'moderator',
			globalName: 'Moderator',
			permissions: MODERATOR_PERMISSIONS,
		}),
		otherBot: addGuildUser(state, first, { username: 'otherbot', bot: true }),
	};
	const textChannel = createChannel(state, { guildId: first.id, type: 0, name: 'general' });
	const guilds = createGuildHandles(state, users);
	guilds.adopt(first, textChannel);
	for (const name of options.channels ?? []) addGuildChannel(state, first, name, 0);
	state.ids.release();
	const server = createServer();
	let port = 0;
	const gatewayUrl = (): string => `ws://127.0.0.1:${port}/gateway`;
	const rateLimiter = createMessageRateLimiter(DEFAULT_MESSAGE_RATE_LIMIT);
	const globalLimiter = createGlobalRateLimiter();
	const permissions = createChannelPermissions(state);
	const cdn = createCdn(state);
	const router = createRestRouter(
		state,
		[
			...miscRoutes(state, gatewayUrl),
			...messageRoutes(state),
			...threadRoutes(state),
			...interactionRoutes(state),
			...commandRoutes(state),
		],
		{ globalLimiter, permissions, messageLimiter: rateLimiter },
	);
	const gateway = createGateway(state, {
		heartbeatIntervalMs: options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
		url: gatewayUrl,
	});
	state.dispatch = (event, data) => {
		gateway.dispatch(event, data);
	};
	server.on('request', (request, response) => {
		if (cdn.handle(request, response)) return;
		router.handle(request, response).catch((error: unknown) => {
			if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'application/json' });
			response.end(JSON.stringify({ code: 0, message: `500: ${String(error)}` }));
		});
	});
	server.on('upgrade', (request: IncomingMessage, socket, head: Buffer) => {
		if (new URL(request.url ?? '/', 'http://127.0.0.1').pathname === '/gateway') {
			gateway.handleUpgrade(request, socket, head);
		} else socket.destroy();
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			resolve();
		});
	});
	port = (server.address() as AddressInfo).port;
	state.httpBase = `http://127.0.0.1:${port}`;
	let closing: Promise<void> | undefined;

	return {
		apiBase: `${state.httpBase}/api`,
		token: state.token,
		bot: state.bot,
		applicationId: state.bot.id,
		guild: { id: first.id, name: first.name },
		textChannel,
		users,
		addTextChannel: (name) => addGuildChannel(state, first, name, 0),
		addForumChannel: (name) => addGuildChannel(state, first, name, 15),
		addUser: (user) => addGuildUser(state, first, user),
		guilds: guilds.all,
		addGuild: (guildOptions = {}) => guilds.add(guildOptions),
		guildHandle: (key) => {
			if ('guildId' in key) return guilds.byGuildId(key.guildId);
			return state.channelGuilds.has(key.channelId)
				? guilds.byGuildId(guildOfChannel(state, key.channelId).id)
				: undefined;
		},
		shardOf: (guildId, shardCount) => shardOf(guildId, shardCount),
		setRecommendedShards: (count) => {
			state.sharding.recommendedShards = positiveInteger('recommendedShards', count);
		},
		setSessionStartLimit: (limit) => {
			const { sharding } = state;
			if (limit.total !== undefined) sharding.sessionStartTotal = limit.total;
			if (limit.remaining !== undefined) sharding.sessionStartRemaining = limit.remaining;
			if (limit.resetAfterMs !== undefined) sharding.sessionStartResetAfterMs = limit.resetAfterMs;
			if (limit.maxConcurrency !== undefined) {
				sharding.maxConcurrency = positiveInteger('maxConcurrency', limit.maxConcurrency);
			}
		},
		get sessionStartLimit() {
			const { sharding } = state;
			return {
				total: sharding.sessionStartTotal,
				remaining: sharding.sessionStartRemaining,
				resetAfterMs: sharding.sessionStartResetAfterMs,
				maxConcurrency: sharding.maxConcurrency,
			};
		},
		requireSharding: (minShards) => {
			state.sharding.requiredShards = minShards;
		},
		get gatewayConnections() {
			return gateway.connections();
		},
		dropShard: (shardId) => gateway.dropShard(shardId),
		// The executor runs synchronously, so the message is stored on return, and a refusal becomes a rejection.
		userSays: (channelId, author, content, messageOptions) =>
			new Promise((resolve) => {
				resolve(userSays(state, channelId, author, content, messageOptions));
			}),
		createThread: (threadOptions) => Promise.resolve(userCreatesThread(state, threadOptions)),
		seedMessages: (channelId, messages) => seedMessages(state, channelId, messages),
		slash: (slashOptions) => Promise.resolve(dispatchSlash(state, slashOptions)),
		clickButton: (buttonOptions) => Promise.resolve(dispatchButton(state, buttonOptions)),
		cdn: cdn.api,
		dispatch: (event, data, dispatchOptions) => {
			gateway.dispatch(event, data, dispatchOptions?.shard);
		},
		channel: (id) => state.channels.get(id),
		get channels() {
			return [...state.channels.values()];
		},
		get roles() {
			return first.roles.map(({ id, name }) => ({ id, name }));
		},
		get interactions() {
			return [...state.interactions.values()];
		},
		interactionOf: (message) => interactionOfMessage(state, message),
		attachment: (id) => state.cdnFiles.get(id)?.attachment,
		onChange: (listener) => {
			state.changes.on('change', listener);
			return () => {
				state.changes.off('change', listener);
			};
		},
		messagesIn: (channelId) => state.channels.get(channelId)?.messages.filter((message) => !message.deleted) ?? [],
		get threads() {
			return [...state.channels.values()].filter(isThread);
		},
		commands: state.commands,
		requests: state.requests,
		unexpectedRequests: state.unexpectedRequests,
		gatewayLog: state.gatewayLog,
		pingsOf: (message, versionIndex) => pingsOf(state, message, versionIndex),
		waitFor: (check, waitOptions) => waitForChange(state, check, waitOptions),
		setMessageRateLimit: (limit) => {
			rateLimiter.configure(limit);
		},
		setGlobalRateLimit: (limit) => {
			globalLimiter.configure(limit);
		},
		revokeBotPermission: (channelId, kind) => {
			permissions.revoke(channelId, kind);
		},
		restoreBotPermission: (channelId) => {
			permissions.restore(channelId);
		},
		setPermissionOverwrite: (channelId, overwrite) => {
			setPermissionOverwrite(state, channelId, overwrite);
		},
		failNext: (match, error) => {
			router.failNext(match, error);
		},
		stats: router.stats,
		maxMessageWritesInWindow: (channelId, windowMs) => rateLimiter.maxWritesInWindow(channelId, windowMs),
		disconnectClients: () => {
			gateway.dropConnections();
		},
		rejectGatewayIdentify: (reject) => {
			gateway.rejectIdentify(reject);
		},
		...memberActions(state),
		close: () => {
			closing ??= new Promise<void>((resolve) => {
				gateway.close();
				server.close(() => {
					resolve();
				});
				server.closeAllConnections();
			});
			return closing;
		},
	};
}
