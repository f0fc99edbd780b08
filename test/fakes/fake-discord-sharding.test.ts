import { once } from 'node:events';
import {
	ChannelType,
	Client,
	Events,
	GatewayIntentBits,
	OverwriteType,
	PermissionFlagsBits,
	Routes,
	type ChatInputCommandInteraction,
	type ClientOptions,
	type Guild,
	type Message,
	type TextChannel,
} from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
	shardOf,
	snowflakeOnShard,
	startFakeDiscord,
	type FakeDiscord,
	type FakeGuildHandle,
	type GatewayLogEntry,
	type StartFakeDiscordOptions,
} from '../../src/emulator/discord/index.js';

let fake: FakeDiscord | undefined;
let clients: Client[] = [];
let rejections: unknown[] = [];
const recordRejection = (reason: unknown): void => {
	rejections.push(reason);
};

async function start(options: StartFakeDiscordOptions = {}): Promise<FakeDiscord> {
	fake = await startFakeDiscord(options);
	return fake;
}

function newClient(target: FakeDiscord, options: Partial<ClientOptions> = {}): Client {
	const client = new Client({
		intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
		rest: { api: target.apiBase },
		waitGuildTimeout: 1000,
		...options,
	});
	clients.push(client);
	return client;
}

async function login(target: FakeDiscord, client: Client): Promise<Client<true>> {
	const ready = once(client, Events.ClientReady);
	await client.login(target.token);
	await ready;
	if (!client.isReady()) throw new Error('client not ready');
	return client;
}

type Dispatch = { event: string; data: Record<string, unknown>; shard: number | undefined; connection: number };

/** What the fake sent as op 0, with the shard of the connection it went over. */
function dispatches(target: FakeDiscord, event?: string): Dispatch[] {
	return target.gatewayLog.flatMap((entry: GatewayLogEntry) => {
		const payload = entry.payload as { op?: unknown; t?: unknown; d?: unknown };
		if (entry.direction !== 'out' || payload.op !== 0 || typeof payload.t !== 'string') return [];
		if (event !== undefined && payload.t !== event) return [];
		const data = (payload.d ?? {}) as Record<string, unknown>;
		return [{ event: payload.t, data, shard: entry.shard, connection: entry.connection }];
	});
}

/** The shards over which the fake sent `event` about the object with this id. */
function shardsOf(target: FakeDiscord, event: string, id: string): (number | undefined)[] {
	return dispatches(target, event)
		.filter((entry) => entry.data.id === id)
		.map((entry) => entry.shard);
}

/** Every dispatch a client received, with the shard discord.js says it came through. */
function recordRaw(client: Client): { t: string; id: unknown; shardId: number }[] {
	const seen: { t: string; id: unknown; shardId: number }[] = [];
	client.on(Events.Raw, (packet: { t?: unknown; d?: { id?: unknown } | null }, shardId: number) => {
		if (typeof packet.t === 'string') seen.push({ t: packet.t, id: packet.d?.id, shardId });
	});
	return seen;
}

function nextMessage(client: Client, content: string): Promise<Message> {
	return new Promise((resolve) => {
		const listener = (message: Message): void => {
			if (message.content !== content) return;
			client.off(Events.MessageCreate, listener);
			resolve(message);
		};
		client.on(Events.MessageCreate, listener);
	});
}

function textChannel(client: Client, id: string): TextChannel {
	const channel = client.channels.cache.get(id);
	if (channel?.type !== ChannelType.GuildText) throw new Error(`no text channel ${id}`);
	return channel;
}

function gatewayUrl(target: FakeDiscord): string {
	return `${target.apiBase.replace('http', 'ws').replace(/\/api$/, '')}/gateway?v=10&encoding=json`;
}

type RawOutcome = { closed: number } | { op: number; t: string | null; d: unknown };

/** IDENTIFY over a bare socket: the close code, or the first op 0 / op 9 the fake answers with. */
function rawIdentify(target: FakeDiscord, shard: unknown): Promise<RawOutcome> {
	const socket = new WebSocket(gatewayUrl(target));
	return new Promise((resolve) => {
		socket.on('close', (code) => {
			resolve({ closed: code });
		});
		socket.on('message', (raw: Buffer) => {
			const payload = JSON.parse(raw.toString()) as { op: number; t: string | null; d: unknown };
			if (payload.op === 10) {
				const d = { token: target.token, intents: 33281, properties: {}, ...(shard === undefined ? {} : { shard }) };
				socket.send(JSON.stringify({ op: 2, d }));
			} else if (payload.op === 0 || payload.op === 9) {
				resolve(payload);
				socket.close(1000);
			}
		});
	});
}

beforeEach(() => {
	rejections = [];
	process.on('unhandledRejection', recordRejection);
});

afterEach(async () => {
	await Promise.all(clients.map((client) => client.destroy()));
	clients = [];
	await fake?.close();
	fake = undefined;
	process.off('unhandledRejection', recordRejection);
	expect(rejections).toEqual([]);
});

describe('fake Discord sharding: guild ids and GET /gateway/bot', () => {
	it('mints guild ids on a chosen shard and routes by (id >> 22) % count', async () => {
		for (const [shard, count] of [
			[0, 1],
			[1, 2],
			[2, 3],
			[15, 16],
		] as const) {
			const id = snowflakeOnShard(shard, count);
			expect(Number((BigInt(id) >> 22n) % BigInt(count))).toBe(shard);
			expect(shardOf(id, count)).toBe(shard);
			// A snowflake of about now: Discord epoch + ms in the top bits.
			expect(Math.abs(Number((BigInt(id) >> 22n) + 1_420_070_400_000n) - Date.now())).toBeLessThan(1_000);
		}
		expect(() => snowflakeOnShard(2, 2)).toThrow(/not below the shard count/);
		const target = await start({ guildShard: { shard: 1, of: 3 } });
		expect(target.shardOf(target.guild.id, 3)).toBe(1);
		const second = target.addGuild({ shard: 2, of: 3, name: 'Third shard' });
		expect(second.shardOf(3)).toBe(2);
		expect(second.guild.name).toBe('Third shard');
		expect(target.guilds.map((handle) => handle.id)).toEqual([target.guild.id, second.id]);
		expect(target.guildHandle({ channelId: second.textChannel.id })).toBe(second);
		expect(target.guildHandle({ guildId: target.guild.id })?.textChannel).toBe(target.textChannel);
	});

	it('answers GET /gateway/bot with the recommended shards and session start limit; IDENTIFY uses one up', async () => {
		const target = await start();
		const gatewayBot = async (): Promise<unknown> => {
			const response = await fetch(`${target.apiBase}/v10/gateway/bot`, {
				headers: { authorization: `Bot ${target.token}` },
			});
			return response.json();
		};
		expect(await gatewayBot()).toEqual({
			url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/gateway$/) as unknown,
			shards: 1,
			session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
		});
		target.setRecommendedShards(4);
		target.setSessionStartLimit({ maxConcurrency: 16, remaining: 10 });
		expect(await rawIdentify(target, [0, 4])).toMatchObject({ op: 0, t: 'READY' });
		expect(await gatewayBot()).toMatchObject({
			shards: 4,
			session_start_limit: { remaining: 9, max_concurrency: 16 },
		});
		target.requireSharding(6);
		expect(await gatewayBot()).toMatchObject({ shards: 6 });
		expect(target.sessionStartLimit).toEqual({
			total: 1000,
			remaining: 9,
			resetAfterMs: 14_400_000,
			maxConcurrency: 16,
		});
	});
});

describe('fake Discord sharding: one client, every shard', () => {
	it("spawns the recommended shards with shards: 'auto'; a guild on shard 1 talks through shard 1 only", async () => {
		const target = await start({ recommendedShards: 2, maxConcurrency: 2, guildShard: { shard: 0, of: 2 } });
		const second = target.addGuild({ shard: 1, of: 2, name: 'Second' });
		const third = target.addGuild({ shard: 0, of: 2, name: 'Third' });
		const started = Date.now();
		const client = newClient(target, { shards: 'auto' });
		const readyShards: number[] = [];
		client.on(Events.ShardReady, (shardId) => readyShards.push(shardId));
		const raw = recordRaw(client);
		await login(target, client);
		expect(Date.now() - started).toBeLessThan(2_000);

		expect(client.options.shardCount).toBe(2);
		expect([...client.ws.shards.keys()].sort()).toEqual([0, 1]);
		expect(readyShards.sort()).toEqual([0, 1]);
		expect(target.gatewayConnections.map((connection) => connection.shard)).toEqual(
			expect.arrayContaining([
				[0, 2],
				[1, 2],
			]),
		);
		expect(target.gatewayConnections).toHaveLength(2);
		const identifies = target.gatewayLog.filter(
			(entry) => entry.direction === 'in' && (entry.payload as { op?: unknown }).op === 2,
		);
		expect(identifies.map((entry) => (entry.payload as { d: { shard: unknown } }).d.shard)).toEqual(
			expect.arrayContaining([
				[0, 2],
				[1, 2],
			]),
		);
		const readyGuilds = (shard: number): unknown =>
			dispatches(target, 'READY')
				.filter((entry) => entry.shard === shard)
				.map((entry) => [entry.data.shard, (entry.data.guilds as { id: string }[]).map((guild) => guild.id)]);
		expect(readyGuilds(0)).toEqual([
			[
				[0, 2],
				[target.guild.id, third.id],
			],
		]);
		expect(readyGuilds(1)).toEqual([[[1, 2], [second.id]]]);
		expect(shardsOf(target, 'GUILD_CREATE', second.id)).toEqual([1]);
		expect(shardsOf(target, 'GUILD_CREATE', third.id)).toEqual([0]);
		const cached = (id: string): Guild | undefined => client.guilds.cache.get(id);
		expect([cached(target.guild.id)?.shardId, cached(second.id)?.shardId, cached(third.id)?.shardId]).toEqual([
			0, 1, 0,
		]);
		expect(cached(second.id)?.name).toBe('Second');
		expect(cached(second.id)?.members.me?.id).toBe(target.bot.id);

		const arrived = nextMessage(client, 'hello shard 1');
		const said = await target.userSays(second.textChannel.id, second.users.alice, 'hello shard 1');
		const message = await arrived;
		expect(message.guildId).toBe(second.id);
		expect(message.guild?.shardId).toBe(1);
		expect(message.member?.id).toBe(second.users.alice.id);
		expect(raw.filter((entry) => entry.t === 'MESSAGE_CREATE' && entry.id === said.id)).toEqual([
			{ t: 'MESSAGE_CREATE', id: said.id, shardId: 1 },
		]);
		expect(shardsOf(target, 'MESSAGE_CREATE', said.id)).toEqual([1]);

		// The bot's reply, its thread and a message there come back over shard 1 too.
		const reply = await message.reply('hello from the bot');
		const thread = await reply.startThread({ name: 'on shard 1' });
		await target.userSays(thread.id, second.users.bob, 'in the thread');
		await target.waitFor(() =>
			dispatches(target, 'MESSAGE_CREATE').some((entry) => entry.data.content === 'in the thread'),
		);
		expect(shardsOf(target, 'MESSAGE_CREATE', reply.id)).toEqual([1]);
		expect(shardsOf(target, 'THREAD_CREATE', thread.id)).toEqual([1]);
		expect(target.channel(thread.id)?.guildId).toBe(second.id);
		expect(
			dispatches(target, 'MESSAGE_CREATE')
				.filter((entry) => entry.data.channel_id === thread.id)
				.map((entry) => entry.shard),
		).toEqual([1]);
		// Nothing about the second guild ever went over shard 0.
		expect(dispatches(target).filter((entry) => entry.shard === 0 && entry.data.guild_id === second.id)).toEqual([]);
	});

	it('resumes a dropped shard on the same shard while the other stays connected', async () => {
		const target = await start({ recommendedShards: 2, maxConcurrency: 2, guildShard: { shard: 0, of: 2 } });
		const second = target.addGuild({ shard: 1, of: 2 });
		const client = await login(target, newClient(target, { shards: 'auto' }));
		const before = target.gatewayConnections;
		const resumed = new Promise<number>((resolve) => {
			client.on(Events.ShardResume, (shardId) => {
				resolve(shardId);
			});
		});
		expect(target.dropShard(1)).toBe(1);
		const arrived = nextMessage(client, 'while shard 1 was away');
		await target.userSays(second.textChannel.id, second.users.bob, 'while shard 1 was away');
		expect(await resumed).toBe(1);
		expect((await arrived).guild?.shardId).toBe(1);
		const resume = target.gatewayLog.find(
			(entry) => entry.direction === 'in' && (entry.payload as { op?: unknown }).op === 6,
		);
		expect(resume?.shard).toBe(1);
		expect(dispatches(target, 'RESUMED').map((entry) => entry.shard)).toEqual([1]);
		const after = target.gatewayConnections;
		expect(after).toHaveLength(2);
		const shardZero = (list: typeof before): unknown => list.find((entry) => entry.shard?.[0] === 0)?.connection;
		expect(shardZero(after)).toBe(shardZero(before));
		expect(after.find((entry) => entry.shard?.[0] === 1)?.connection).not.toBe(
			before.find((entry) => entry.shard?.[0] === 1)?.connection,
		);
	});

	it('announces a guild joined at runtime to its shard; DMs and shard-less events go to shard 0', async () => {
		const target = await start({ recommendedShards: 2, maxConcurrency: 2 });
		const client = await login(target, newClient(target, { shards: 'auto' }));
		const joined = new Promise<Guild>((resolve) => {
			client.on(Events.GuildCreate, resolve);
		});
		const late = target.addGuild({ shard: 1, of: 2, name: 'Late' });
		const guild = await joined;
		expect([guild.id, guild.shardId, guild.name]).toEqual([late.id, 1, 'Late']);
		expect(shardsOf(target, 'GUILD_CREATE', late.id)).toEqual([1]);
		expect(client.channels.cache.has(late.textChannel.id)).toBe(true);

		const raw = recordRaw(client);
		target.dispatch('TYPING_START', { channel_id: '1', user_id: target.users.alice.id, timestamp: 0 });
		target.dispatch('TYPING_START', { channel_id: '2', user_id: target.users.alice.id, timestamp: 0 }, { shard: 1 });
		await target.waitFor(() => raw.filter((entry) => entry.t === 'TYPING_START').length === 2);
		// Two sockets: the client may see them in either order.
		expect(raw.flatMap((entry) => (entry.t === 'TYPING_START' ? [entry.shardId] : [])).sort()).toEqual([0, 1]);
		const typing = dispatches(target, 'TYPING_START').map((entry) => [entry.data.channel_id, entry.shard]);
		expect(typing).toEqual([
			['1', 0],
			['2', 1],
		]);
	});
});

describe('fake Discord sharding: one process per shard', () => {
	it('gives clients with shards [0] and [1] of 2 only their own guilds, messages and interactions', async () => {
		const target = await start({ guildShard: { shard: 0, of: 2 } });
		const other = target.addGuild({ shard: 1, of: 2, name: 'Other' });
		const zero = await login(target, newClient(target, { shards: [0], shardCount: 2 }));
		const one = await login(target, newClient(target, { shards: [1], shardCount: 2 }));
		expect([...zero.guilds.cache.keys()]).toEqual([target.guild.id]);
		expect([...one.guilds.cache.keys()]).toEqual([other.id]);
		expect(zero.channels.cache.has(other.textChannel.id)).toBe(false);
		expect(one.channels.cache.has(target.textChannel.id)).toBe(false);
		expect(target.gatewayConnections.map((connection) => connection.shard)).toEqual([
			[0, 2],
			[1, 2],
		]);

		const seenBy = (client: Client): string[] => {
			const contents: string[] = [];
			client.on(Events.MessageCreate, (message: Message) => contents.push(message.content));
			return contents;
		};
		const zeroSaw = seenBy(zero);
		const oneSaw = seenBy(one);
		const markers = [nextMessage(zero, 'marker 0'), nextMessage(one, 'marker 1')];
		await target.userSays(target.textChannel.id, target.users.alice, 'for shard 0');
		await target.userSays(other.textChannel.id, other.users.alice, 'for shard 1');
		// Each socket is in order: had the fake sent the other shard's message, it would arrive before the marker.
		await target.userSays(target.textChannel.id, target.users.alice, 'marker 0');
		await target.userSays(other.textChannel.id, other.users.alice, 'marker 1');
		await Promise.all(markers);
		expect(zeroSaw).toEqual(['for shard 0', 'marker 0']);
		expect(oneSaw).toEqual(['for shard 1', 'marker 1']);

		const commands = [{ name: 'ping', description: 'Ping' }];
		await one.rest.put(Routes.applicationGuildCommands(target.applicationId, other.id), { body: commands });
		expect(target.commands.guild.get(other.id)).toHaveLength(1);
		const interactionOn = (client: Client): Promise<ChatInputCommandInteraction> =>
			new Promise((resolve) => {
				client.on(Events.InteractionCreate, (interaction) => {
					if (interaction.isChatInputCommand()) resolve(interaction);
				});
			});
		const zeroInteractions: unknown[] = [];
		zero.on(Events.InteractionCreate, (interaction) => zeroInteractions.push(interaction.id));
		const received = interactionOn(one);
		const slash = await target.slash({ name: 'ping', channelId: other.textChannel.id, user: other.users.bob });
		const interaction = await received;
		const [registered] = target.commands.guild.get(other.id) as [{ id: string }];
		expect([interaction.guildId, interaction.guild?.shardId, interaction.commandId]).toEqual([
			other.id,
			1,
			registered.id,
		]);
		await interaction.reply('pong');
		expect(slash.original?.content).toBe('pong');
		expect(shardsOf(target, 'INTERACTION_CREATE', slash.id)).toEqual([1]);
		expect(zeroInteractions).toEqual([]);
	});

	it('serves guild routes, members, roles, overwrites and active threads for any guild', async () => {
		const target = await start();
		const other = target.addGuild({ name: 'Other' });
		const carol = other.addUser({ username: 'carol', permissions: PermissionFlagsBits.ManageMessages });
		const client = await login(target, newClient(target));
		const guild = client.guilds.cache.get(other.id);
		if (!guild) throw new Error('no second guild');
		expect((await guild.fetch()).name).toBe('Other');
		expect((await guild.members.fetch(carol.id)).permissions.has(PermissionFlagsBits.ManageMessages)).toBe(true);
		expect((await guild.members.fetch(target.users.moderator.id)).permissions.has('ManageChannels')).toBe(true);
		expect(other.isMember(carol.id)).toBe(true);
		expect(target.guildHandle({ guildId: target.guild.id })?.isMember(carol.id)).toBe(false);
		// carol is in the second guild only: not a member of the first, and so cannot post there.
		await expect(target.userSays(target.textChannel.id, carol, 'hi')).rejects.toThrow(/not a member of guild/);
		// op 8 (no user ids) answers with the members of that guild only.
		const everyone = await guild.members.fetch();
		expect([...everyone.keys()].sort()).toEqual(
			[target.bot, target.users.alice, target.users.bob, target.users.moderator, target.users.otherBot, carol]
				.map((user) => user.id)
				.concat(guild.ownerId)
				.sort(),
		);
		expect(dispatches(target, 'GUILD_MEMBERS_CHUNK').map((entry) => entry.data.guild_id)).toEqual([other.id]);
		const bare = target.addGuild({ standardUsers: false });
		expect(bare.isMember(target.users.alice.id)).toBe(false);
		expect(bare.isMember(target.bot.id) && bare.isMember(guild.ownerId)).toBe(true);
		const roles = await guild.roles.fetch();
		expect(roles.has(other.id)).toBe(true);
		expect(roles.size).toBe(4); // @everyone, the bot's, moderator's and carol's
		const channels = await guild.channels.fetch();
		expect([...channels.keys()]).toEqual([other.textChannel.id]);

		const text = textChannel(client, other.textChannel.id);
		target.setPermissionOverwrite(other.textChannel.id, {
			id: other.id,
			type: OverwriteType.Role,
			deny: PermissionFlagsBits.SendMessages,
		});
		await target.waitFor(() => text.permissionOverwrites.cache.has(other.id));
		expect(text.permissionsFor(target.users.alice.id)?.has(PermissionFlagsBits.SendMessages)).toBe(false);
		await expect(target.userSays(other.textChannel.id, target.users.alice, 'muted')).rejects.toThrow(
			/lacks SEND_MESSAGES/,
		);
		await target.userSays(target.textChannel.id, target.users.alice, 'still fine in the first guild');

		const forum = other.addForumChannel('ideas');
		await target.waitFor(() => client.channels.cache.has(forum.id));
		const thread = await target.createThread({ parentId: other.textChannel.id, name: 'talk', owner: carol });
		const active = await guild.channels.fetchActiveThreads();
		expect([...active.threads.keys()]).toEqual([thread.id]);
		expect((await client.guilds.cache.get(target.guild.id)?.channels.fetchActiveThreads())?.threads.size).toBe(0);
		expect(other.channels.map((channel) => channel.id)).toEqual([other.textChannel.id, forum.id, thread.id]);
	});
});

describe('fake Discord sharding: refused IDENTIFYs', () => {
	it('closes an invalid shard or a shard count other than the live sessions use with 4010', async () => {
		const target = await start();
		expect(await rawIdentify(target, [2, 2])).toEqual({ closed: 4010 });
		expect(await rawIdentify(target, [0, 0])).toEqual({ closed: 4010 });
		expect(await rawIdentify(target, [-1, 2])).toEqual({ closed: 4010 });
		expect(await rawIdentify(target, ['0', 2])).toEqual({ closed: 4010 });
		expect(await rawIdentify(target, [0])).toEqual({ closed: 4010 });

		await login(target, newClient(target, { shards: [0], shardCount: 2 }));
		expect(await rawIdentify(target, [1, 3])).toEqual({ closed: 4010 });
		const ready = await rawIdentify(target, [1, 2]);
		expect(ready).toMatchObject({ op: 0, t: 'READY', d: { shard: [1, 2] } });
		expect(ready).toMatchObject({
			d: { guilds: target.shardOf(target.guild.id, 2) === 1 ? [{ id: target.guild.id }] : [] },
		});

		// A real client asking for a shard past its count gets the same close, and login() fails.
		const disconnects: number[] = [];
		const invalid = newClient(target, { shards: [3], shardCount: 2 });
		invalid.on(Events.ShardDisconnect, (event: { code: number }) => disconnects.push(event.code));
		const error: unknown = await invalid.login(target.token).then(
			() => undefined,
			(reason: unknown) => reason,
		);
		expect(disconnects).toEqual([4010]);
		expect((error as Error).message).toBe('Invalid shard');
	});

	it('closes an IDENTIFY with too few shards with 4011 when sharding is required', async () => {
		const target = await start({ requireSharding: 2, maxConcurrency: 2, guildShard: { shard: 1, of: 2 } });
		expect(await rawIdentify(target, undefined)).toEqual({ closed: 4011 });
		const disconnects: number[] = [];
		const unsharded = newClient(target);
		unsharded.on(Events.ShardDisconnect, (event: { code: number }) => disconnects.push(event.code));
		const error: unknown = await unsharded.login(target.token).then(
			() => undefined,
			(reason: unknown) => reason,
		);
		expect(disconnects).toEqual([4011]);
		expect((error as Error).message).toBe('Sharding is required');
		// GET /gateway/bot recommends enough shards, so shards: 'auto' gets in.
		const auto = await login(target, newClient(target, { shards: 'auto' }));
		expect(auto.options.shardCount).toBe(2);
		expect(auto.guilds.cache.get(target.guild.id)?.shardId).toBe(1);
	});

	it('answers IDENTIFYs of one bucket closer than identifySpacingMs with op 9, only when asked to', async () => {
		const relaxed = await start();
		expect(await rawIdentify(relaxed, [0, 2])).toMatchObject({ t: 'READY' });
		expect(await rawIdentify(relaxed, [1, 2])).toMatchObject({ t: 'READY' });
		await relaxed.close();

		const strict = await start({ identifySpacingMs: 5_000 });
		expect(await rawIdentify(strict, [0, 2])).toMatchObject({ t: 'READY' });
		expect(await rawIdentify(strict, [1, 2])).toEqual({ op: 9, t: null, d: false, s: null });
		strict.setSessionStartLimit({ maxConcurrency: 2 });
		// Bucket 1 of 2 is a fresh bucket.
		expect(await rawIdentify(strict, [1, 2])).toMatchObject({ t: 'READY' });
	});
});

describe('fake Discord sharding: helpers for bot tests', () => {
	it('lets a handle stand for the first guild', async () => {
		const target = await start();
		const [first] = target.guilds as [FakeGuildHandle];
		expect(first.guild).toEqual(target.guild);
		expect(first.users).toBe(target.users);
		const added = first.addTextChannel('random');
		expect(target.channel(added.id)?.guildId).toBe(target.guild.id);
	});
});
