import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import {
	ActionRowBuilder,
	ButtonBuilder,
	ButtonStyle,
	ChannelType,
	Client,
	DiscordAPIError,
	Events,
	GatewayIntentBits,
	MessageFlags,
	PermissionFlagsBits,
	Routes,
	type ChatInputCommandInteraction,
	type Interaction,
	type Message,
	type RateLimitData,
	type TextChannel,
	type ThreadChannel,
} from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startFakeDiscord, type FakeDiscord, type StoredMessage } from './fake-discord/index.js';

let fake: FakeDiscord;
let extraFakes: FakeDiscord[] = [];
let clients: Client[] = [];
let rejections: unknown[] = [];
const recordRejection = (reason: unknown): void => {
	rejections.push(reason);
};

async function login(target: FakeDiscord = fake): Promise<Client<true>> {
	const client = new Client({
		intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
		rest: { api: target.apiBase },
		waitGuildTimeout: 1000,
	});
	clients.push(client);
	const ready = once(client, Events.ClientReady);
	await client.login(target.token);
	await ready;
	if (!client.isReady()) throw new Error('client not ready');
	return client;
}

function general(client: Client<true>): TextChannel {
	const channel = client.channels.cache.get(fake.textChannel.id);
	if (channel?.isTextBased() !== true || channel.isThread() || channel.isDMBased()) throw new Error('no #general');
	return channel as TextChannel;
}

function nextEvent<T>(client: Client, event: string, filter: (value: T) => boolean = () => true): Promise<T> {
	return new Promise((resolve) => {
		const listener = (value: T): void => {
			if (!filter(value)) return;
			client.off(event, listener);
			resolve(value);
		};
		client.on(event, listener);
	});
}

function storedMessage(id: string): StoredMessage {
	const message = fake.messagesIn(fake.textChannel.id).find((entry) => entry.id === id);
	if (!message) throw new Error(`message ${id} is not stored in #general`);
	return message;
}

async function apiError(promise: Promise<unknown>): Promise<DiscordAPIError> {
	const error: unknown = await promise.then(
		() => undefined,
		(reason: unknown) => reason,
	);
	if (!(error instanceof DiscordAPIError)) throw new Error(`expected a DiscordAPIError, got ${String(error)}`);
	return error;
}

beforeEach(async () => {
	rejections = [];
	process.on('unhandledRejection', recordRejection);
	fake = await startFakeDiscord();
});

afterEach(async () => {
	await Promise.all(clients.map((client) => client.destroy()));
	clients = [];
	await Promise.all([fake, ...extraFakes].map((target) => target.close()));
	extraFakes = [];
	process.off('unhandledRejection', recordRejection);
	expect(rejections).toEqual([]);
});

describe('fake Discord: login and state', () => {
	it('lets an unmodified discord.js client reach clientReady quickly with guild, #general and the bot user', async () => {
		const started = Date.now();
		const client = await login();
		expect(Date.now() - started).toBeLessThan(2_000);
		expect(client.user.id).toBe(fake.bot.id);
		expect(client.application.id).toBe(fake.applicationId);
		const guild = client.guilds.cache.get(fake.guild.id);
		expect(guild?.name).toBe(fake.guild.name);
		expect(guild?.members.me?.id).toBe(fake.bot.id);
		expect(guild?.roles.everyone.id).toBe(fake.guild.id);
		expect(general(client).name).toBe('general');
		expect(fake.requests.map((request) => request.route)).toEqual(['/gateway/bot']);
		expect(fake.gatewayLog.some((entry) => entry.direction === 'in')).toBe(true);
	});

	it('acknowledges heartbeats and closes IDENTIFY with a wrong token with 4004', async () => {
		const beating = await startFakeDiscord({ heartbeatIntervalMs: 100 });
		extraFakes.push(beating);
		await login(beating);
		await beating.waitFor(() => beating.gatewayLog.some((entry) => (entry.payload as { op?: unknown }).op === 11), {
			description: 'heartbeat ACK',
		});
		const socket = new WebSocket(`${beating.apiBase.replace('http', 'ws').replace(/\/api$/, '')}/gateway?v=10`);
		const closed = new Promise<number>((resolve) => {
			socket.on('close', resolve);
		});
		socket.on('open', () => {
			socket.send(JSON.stringify({ op: 2, d: { token: 'wrong', intents: 0, properties: {} } }));
		});
		expect(await closed).toBe(4004);
	});

	it('dispatches channels and users added at runtime', async () => {
		const client = await login();
		const channel = fake.addTextChannel('random');
		const forum = fake.addForumChannel('ideas');
		const carol = fake.addUser({ username: 'carol', permissions: PermissionFlagsBits.Administrator });
		const guild = client.guilds.cache.get(fake.guild.id);
		await fake.waitFor(() => client.channels.cache.has(forum.id) && guild?.roles.cache.size === 4, {
			description: 'CHANNEL_CREATE and GUILD_ROLE_CREATE',
		});
		expect(client.channels.cache.get(channel.id)?.type).toBe(ChannelType.GuildText);
		const forumChannel = client.channels.cache.get(forum.id);
		if (forumChannel?.type !== ChannelType.GuildForum) throw new Error('forum missing');
		const post = await forumChannel.threads.create({ name: 'post', message: { content: 'first' } });
		expect(post.parentId).toBe(forum.id);
		expect(fake.messagesIn(post.id).map((message) => [message.id, message.content])).toEqual([[post.id, 'first']]);
		const member = await guild?.members.fetch(carol.id);
		expect(member?.permissions.has(PermissionFlagsBits.ManageGuild)).toBe(true);
	});

	it('sees a thread created before a restart when a second client logs in later', async () => {
		const first = await login();
		const thread = await fake.createThread({
			parentId: fake.textChannel.id,
			name: 'old session',
			owner: fake.users.alice,
		});
		await fake.waitFor(() => first.channels.cache.has(thread.id), { description: 'first client sees the thread' });
		await first.destroy();
		const second = await login();
		const cached = second.channels.cache.get(thread.id);
		expect(cached?.isThread()).toBe(true);
		expect((cached as ThreadChannel).parentId).toBe(fake.textChannel.id);
		expect((cached as ThreadChannel).ownerId).toBe(fake.users.alice.id);
	});

	it('resumes after dropped sockets and replays events missed meanwhile', async () => {
		const client = await login();
		const received = nextEvent<Message>(client, Events.MessageCreate);
		fake.disconnectClients();
		await fake.userSays(fake.textChannel.id, fake.users.bob, 'while you were away');
		expect((await received).content).toBe('while you were away');
		const resumed = fake.gatewayLog.find((entry) => (entry.payload as { t?: unknown }).t === 'RESUMED');
		expect(resumed?.direction).toBe('out');
	});
});

describe('fake Discord: messages', () => {
	it('dispatches user messages with author, member and mentions derived from <@id>', async () => {
		const client = await login();
		const received = nextEvent<Message>(client, Events.MessageCreate);
		await fake.userSays(fake.textChannel.id, fake.users.alice, `<@${fake.bot.id}> hello <@${fake.users.bob.id}>`);
		const message = await received;
		expect(message.content).toBe(`<@${fake.bot.id}> hello <@${fake.users.bob.id}>`);
		expect(message.author.id).toBe(fake.users.alice.id);
		expect(message.author.bot).toBe(false);
		expect(message.member?.id).toBe(fake.users.alice.id);
		expect(message.mentions.users.has(client.user.id)).toBe(true);
		expect(message.mentions.users.has(fake.users.bob.id)).toBe(true);
	});

	it('stores sends with their allowed_mentions and echoes them back to the bot', async () => {
		const client = await login();
		const echo = nextEvent<Message>(client, Events.MessageCreate, (message) => message.author.id === client.user.id);
		const sent = await general(client).send({ content: 'hi @everyone', allowedMentions: { parse: [] } });
		expect((await echo).id).toBe(sent.id);
		const stored = storedMessage(sent.id);
		expect(stored.content).toBe('hi @everyone');
		expect(stored.author.id).toBe(fake.bot.id);
		expect(stored.allowedMentions).toEqual([{ parse: [] }]);
		expect(fake.pingsOf(stored)).toEqual({ everyone: false, users: [], roles: [] });
	});

	it('records every edit as a version and dispatches MESSAGE_UPDATE', async () => {
		const client = await login();
		const sent = await general(client).send('one');
		const updated = nextEvent<Message>(client, Events.MessageUpdate);
		await sent.edit({ content: 'two', allowedMentions: { parse: [] } });
		await sent.edit('three');
		await updated;
		const stored = fake.messagesIn(fake.textChannel.id).find((message) => message.id === sent.id);
		expect(stored?.versions).toEqual(['one', 'two', 'three']);
		expect(stored?.allowedMentions).toEqual([undefined, { parse: [] }, undefined]);
		expect(stored?.editedAt).toBeTypeOf('number');
	});

	it('rejects 2001 characters with 50035 and the exact Invalid Form Body', async () => {
		const client = await login();
		const error = await apiError(general(client).send('x'.repeat(2001)));
		expect(error.code).toBe(50035);
		expect(error.status).toBe(400);
		expect(error.rawError).toEqual({
			code: 50035,
			message: 'Invalid Form Body',
			errors: {
				content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] },
			},
		});
	});

	it('answers validation and lookup errors like Discord', async () => {
		const client = await login();
		const alice = await fake.userSays(fake.textChannel.id, fake.users.alice, 'mine');
		const channelId = fake.textChannel.id;
		const edit = (id: string): Promise<unknown> =>
			client.rest.patch(Routes.channelMessage(channelId, id), { body: { content: 'x' } });
		expect((await apiError(edit(alice.id))).code).toBe(50005);
		expect((await apiError(edit('2'.repeat(18)))).code).toBe(10008);
		expect(
			(await apiError(client.rest.post(Routes.channelMessages('1'.repeat(18)), { body: { content: 'x' } }))).code,
		).toBe(10003);
		expect((await apiError(client.rest.post(Routes.channelMessages(channelId), { body: {} }))).code).toBe(50006);
		const bothUsers = { content: 'x', allowed_mentions: { parse: ['users'], users: [fake.users.bob.id] } };
		expect((await apiError(client.rest.post(Routes.channelMessages(channelId), { body: bothUsers }))).code).toBe(50035);
		const unknown = await apiError(client.rest.get(`/guilds/${fake.guild.id}/bans`));
		expect(unknown.status).toBe(404);
		expect(unknown.rawError).toEqual({ code: 0, message: '404: Not Found' });
		expect(fake.unexpectedRequests.map((request) => request.path)).toEqual([`/guilds/${fake.guild.id}/bans`]);
		const anonymous = await fetch(`${fake.apiBase}/v10/users/@me`);
		expect(anonymous.status).toBe(401);
		expect(anonymous.headers.get('content-type')).toBe('application/json');
	});

	it('pages 250 seeded messages newest to oldest with limit and before', async () => {
		const client = await login();
		const seeded = fake.seedMessages(
			fake.textChannel.id,
			Array.from({ length: 250 }, (_, index) => ({ author: fake.users.bob, content: `m${index}` })),
		);
		const pages: string[][] = [];
		let before: string | undefined;
		for (;;) {
			const page = await general(client).messages.fetch({ limit: 100, ...(before ? { before } : {}) });
			if (page.size === 0) break;
			const ids = [...page.values()].map((message) => message.content);
			pages.push(ids);
			before = page.lastKey();
		}
		expect(pages.map((page) => page.length)).toEqual([100, 100, 50]);
		expect(pages.flat()).toEqual(seeded.map((message) => message.content).reverse());
		expect(
			seeded.every((message, index) => index === 0 || message.createdAt > (seeded[index - 1]?.createdAt ?? 0)),
		).toBe(true);
	});

	it('answers typing with a bare 204', async () => {
		const client = await login();
		await general(client).sendTyping();
		const typing = fake.requests.find((request) => request.route === '/channels/:channelId/typing');
		expect(typing?.status).toBe(204);
		expect(typing?.authorized).toBe(true);
	});

	it('stores multipart attachments', async () => {
		const client = await login();
		const data = Buffer.from('{"role":"user"}\n{"role":"model"}\n');
		const sent = await general(client).send({ content: 'export', files: [{ attachment: data, name: 'x.jsonl' }] });
		expect(sent.attachments.first()?.name).toBe('x.jsonl');
		const stored = fake.messagesIn(fake.textChannel.id).find((message) => message.id === sent.id);
		expect(stored?.attachments).toHaveLength(1);
		expect(stored?.attachments[0]?.filename).toBe('x.jsonl');
		expect(stored?.attachments[0]?.data.equals(data)).toBe(true);
		const download = await fetch(sent.attachments.first()?.url ?? '');
		expect(Buffer.from(await download.arrayBuffer()).equals(data)).toBe(true);
	});

	it('computes pings per allowed_mentions', async () => {
		const client = await login();
		const loud = await general(client).send(`@everyone and <@${fake.users.alice.id}>`);
		const quiet = await general(client).send({ content: '@everyone', allowedMentions: { parse: [] } });
		const only = await general(client).send({
			content: `<@${fake.users.alice.id}> <@${fake.users.bob.id}>`,
			allowedMentions: { users: [fake.users.bob.id] },
		});
		expect(fake.pingsOf(storedMessage(loud.id))).toEqual({ everyone: true, users: [fake.users.alice.id], roles: [] });
		expect(fake.pingsOf(storedMessage(quiet.id))).toEqual({ everyone: false, users: [], roles: [] });
		expect(fake.pingsOf(storedMessage(only.id)).users).toEqual([fake.users.bob.id]);
		const question = await fake.userSays(fake.textChannel.id, fake.users.alice, 'question?');
		const reply = await (await general(client).messages.fetch(question.id)).reply('answer');
		expect(reply.reference?.messageId).toBe(question.id);
		expect(storedMessage(reply.id).type).toBe(19);
		expect(fake.pingsOf(storedMessage(reply.id)).users).toEqual([fake.users.alice.id]);
		const silentReply = await reply.reply({ content: 'quiet', allowedMentions: { repliedUser: false } });
		expect(fake.pingsOf(storedMessage(silentReply.id)).users).toEqual([]);
	});
});

describe('fake Discord: threads', () => {
	it('creates a thread from a message with the message id and echoes THREAD_CREATE', async () => {
		const client = await login();
		const message = await general(client).send('start here');
		const thread = await message.startThread({ name: 'session' });
		expect(thread.id).toBe(message.id);
		expect(thread.parentId).toBe(fake.textChannel.id);
		expect(thread.ownerId).toBe(client.user.id);
		await fake.waitFor(() =>
			fake.gatewayLog.some((entry) => {
				const payload = entry.payload as { t?: unknown; d?: { id?: unknown } };
				return payload.t === 'THREAD_CREATE' && payload.d?.id === message.id;
			}),
		);
		expect(fake.threads.map((channel) => channel.id)).toContain(message.id);
		const created = await general(client).threads.create({ name: 'standalone' });
		expect(created.parentId).toBe(fake.textChannel.id);
		await created.members.add('@me');
		await thread.send('inside');
		expect(fake.messagesIn(thread.id).map((entry) => entry.content)).toEqual(['inside']);
	});

	it('delivers user-created threads and messages inside them', async () => {
		const client = await login();
		const threadCreated = nextEvent<ThreadChannel>(client, Events.ThreadCreate);
		const thread = await fake.createThread({ parentId: fake.textChannel.id, name: 'help', owner: fake.users.alice });
		expect((await threadCreated).id).toBe(thread.id);
		const received = nextEvent<Message>(client, Events.MessageCreate);
		await fake.userSays(thread.id, fake.users.alice, 'in the thread');
		const message = await received;
		expect(message.channel.isThread()).toBe(true);
		expect(message.channelId).toBe(thread.id);
		expect(message.guildId).toBe(fake.guild.id);
		expect(message.member?.id).toBe(fake.users.alice.id);
	});
});

describe('fake Discord: commands and interactions', () => {
	it('stores global and guild command overwrites', async () => {
		const client = await login();
		const command = { name: 'summarize', description: 'Summarize this thread' };
		const global = await client.application.commands.set([command]);
		const guild = await client.application.commands.set(
			[{ name: 'persona', description: 'Pick a persona' }],
			fake.guild.id,
		);
		expect(global.first()?.id).toMatch(/^\d{17,20}$/);
		expect(guild.first()?.guildId).toBe(fake.guild.id);
		expect(fake.commands.global).toMatchObject([{ name: 'summarize', application_id: fake.applicationId }]);
		expect(fake.commands.guild.get(fake.guild.id)).toMatchObject([{ name: 'persona' }]);
		expect(fake.commands.putCount).toBe(2);
		const again = await client.application.commands.set([command]);
		expect(again.first()?.id).toBe(global.first()?.id);
	});

	it('records defer, editReply and followUp of a slash command', async () => {
		const client = await login();
		client.on(Events.InteractionCreate, (interaction: Interaction) => {
			if (!interaction.isChatInputCommand()) return;
			void (async () => {
				await interaction.deferReply({ flags: MessageFlags.Ephemeral });
				await interaction.editReply(`style=${interaction.options.getString('style') ?? ''}`);
				await interaction.followUp({ content: 'done', flags: MessageFlags.Ephemeral });
			})();
		});
		const handle = await fake.slash({
			name: 'summarize',
			options: [{ name: 'style', type: 3, value: 'brief' }],
			channelId: fake.textChannel.id,
			user: fake.users.alice,
		});
		await fake.waitFor(() => handle.followups.length === 1, { description: 'followUp' });
		expect(handle.callbacks.map((callback) => callback.type)).toEqual([5]);
		expect(handle.deferred).toBe(true);
		expect(handle.ephemeral).toBe(true);
		expect(handle.original?.versions).toEqual(['', 'style=brief']);
		expect(handle.followups[0]?.content).toBe('done');
		expect(handle.acknowledgedAt).toBeGreaterThanOrEqual(handle.dispatchedAt);
		expect(fake.messagesIn(fake.textChannel.id)).toEqual([]);
	});

	it('answers a late acknowledgement with 10062 and a second one with 40060', async () => {
		const slow = await startFakeDiscord({ interactionDeadlineMs: 300 });
		extraFakes.push(slow);
		const client = await login(slow);
		const outcomes: unknown[] = [];
		client.on(Events.InteractionCreate, (interaction: Interaction) => {
			if (!interaction.isChatInputCommand()) return;
			void (async () => {
				await sleep(interaction.commandName === 'late' ? 500 : 0);
				await interaction.reply('hi').catch((error: unknown) => outcomes.push(error));
				if (interaction.commandName === 'late') return;
				const route = Routes.interactionCallback(interaction.id, interaction.token);
				const again = client.rest.post(route, { body: { type: 4, data: { content: 'x' } }, auth: false });
				await again.catch((error: unknown) => outcomes.push(error));
			})();
		});
		await slow.slash({ name: 'late', channelId: slow.textChannel.id, user: slow.users.bob });
		await slow.waitFor(() => outcomes.length === 1, { description: 'late reply fails' });
		const onTime = await slow.slash({ name: 'ontime', channelId: slow.textChannel.id, user: slow.users.bob });
		await slow.waitFor(() => outcomes.length === 2, { description: 'double ack fails' });
		expect(outcomes.map((error) => (error as DiscordAPIError).code)).toEqual([10062, 40060]);
		expect(onTime.original?.content).toBe('hi');
		expect(slow.messagesIn(slow.textChannel.id).map((message) => message.content)).toEqual(['hi']);
	});

	it('delivers button clicks and records the update', async () => {
		const client = await login();
		const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
			new ButtonBuilder().setCustomId('retry').setLabel('Retry').setStyle(ButtonStyle.Primary),
		);
		const sent = await general(client).send({ content: 'failed', components: [row] });
		const clicked = nextEvent<Interaction>(client, Events.InteractionCreate);
		const handle = await fake.clickButton({
			messageId: sent.id,
			channelId: fake.textChannel.id,
			customId: 'retry',
			user: fake.users.bob,
		});
		const interaction = await clicked;
		expect(interaction.isButton() && interaction.customId).toBe('retry');
		if (!interaction.isButton()) return;
		expect(interaction.message.id).toBe(sent.id);
		await interaction.update({ content: 'retrying', components: [] });
		expect(handle.callbacks.map((callback) => callback.type)).toEqual([7]);
		expect(handle.original?.versions).toEqual(['failed', 'retrying']);
	});

	it('supports withResponse, fetchReply, deleteReply and deferUpdate', async () => {
		const client = await login();
		const seen: string[] = [];
		client.on(Events.InteractionCreate, (interaction: Interaction) => {
			void (async () => {
				if (interaction.isChatInputCommand()) {
					const response = await interaction.reply({ content: 'pick', withResponse: true });
					seen.push(response.resource?.message?.content ?? '');
					seen.push((await interaction.fetchReply()).content);
					const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
						new ButtonBuilder().setCustomId('again').setLabel('Again').setStyle(ButtonStyle.Secondary),
					);
					await interaction.editReply({ content: 'pick one', components: [row] });
				} else if (interaction.isButton()) {
					await interaction.deferUpdate();
					await interaction.editReply({ content: 'picked', components: [] });
					await interaction.deleteReply();
				}
			})();
		});
		const command = await fake.slash({ name: 'persona', channelId: fake.textChannel.id, user: fake.users.alice });
		const original = await fake.waitFor(() => command.original?.components.length === 1 && command.original, {
			description: 'reply with a button',
		});
		expect(seen).toEqual(['pick', 'pick']);
		const click = await fake.clickButton({
			messageId: original.id,
			channelId: fake.textChannel.id,
			customId: 'again',
			user: fake.users.alice,
		});
		await fake.waitFor(() => click.original?.deleted, { description: 'deleteReply' });
		expect(click.callbacks.map((callback) => callback.type)).toEqual([6]);
		expect(original.versions).toEqual(['pick', 'pick one', 'picked']);
		expect(fake.messagesIn(fake.textChannel.id)).toEqual([]);
	});

	it('resolves user options', async () => {
		const client = await login();
		const received = nextEvent<ChatInputCommandInteraction>(client, Events.InteractionCreate);
		await fake.slash({
			name: 'forget',
			options: [{ name: 'who', type: 6, value: fake.users.bob.id }],
			channelId: fake.textChannel.id,
			user: fake.users.moderator,
		});
		const interaction = await received;
		expect(interaction.options.getUser('who')?.username).toBe('bob');
		expect(interaction.memberPermissions?.has('ManageChannels')).toBe(true);
		await interaction.reply({ content: 'ok', flags: MessageFlags.Ephemeral });
	});
});

describe('fake Discord: rate limits, faults and waiting', () => {
	it('advertises limits so discord.js waits instead of receiving 429s', async () => {
		fake.setMessageRateLimit({ limit: 3, windowMs: 400, advertise: true });
		const client = await login();
		const limited: RateLimitData[] = [];
		client.rest.on('rateLimited', (data) => limited.push(data));
		const message = await general(client).send('0');
		const started = Date.now();
		for (let index = 1; index <= 7; index += 1) await message.edit(String(index));
		expect(fake.stats.served429).toBe(0);
		expect(limited.length).toBeGreaterThan(0);
		expect(Date.now() - started).toBeGreaterThanOrEqual(300);
		expect(fake.maxMessageWritesInWindow(fake.textChannel.id, 400)).toBeLessThanOrEqual(4);
		const patch = fake.requests.find((request) => request.method === 'PATCH');
		expect(patch?.query).toEqual({});
	});

	it('serves exactly one hidden 429 that discord.js retries transparently', async () => {
		fake.setMessageRateLimit({ limit: 2, windowMs: 600, advertise: false });
		const client = await login();
		for (const content of ['a', 'b', 'c']) await general(client).send(content);
		expect(fake.stats.served429).toBe(1);
		expect(fake.messagesIn(fake.textChannel.id).map((message) => message.content)).toEqual(['a', 'b', 'c']);
		const throttled = fake.requests.find((request) => request.status === 429);
		expect(throttled?.route).toBe('/channels/:channelId/messages');
	});

	it('injects a failure into the next matching request only', async () => {
		const client = await login();
		fake.failNext(
			{ method: 'POST', path: /^\/channels\/\d+\/messages$/ },
			{ status: 403, code: 50013, message: 'Missing Permissions' },
		);
		const error = await apiError(general(client).send('blocked'));
		expect(error.code).toBe(50013);
		expect(error.status).toBe(403);
		await general(client).send('allowed');
		expect(fake.messagesIn(fake.textChannel.id).map((message) => message.content)).toEqual(['allowed']);
	});

	it('times out waitFor with its description', async () => {
		await expect(fake.waitFor(() => false, { timeoutMs: 50, description: 'a reply that never comes' })).rejects.toThrow(
			/a reply that never comes/,
		);
	});
});
