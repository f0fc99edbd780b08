import { createHash, randomBytes } from 'node:crypto';
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
	DiscordjsError,
	MessageFlags,
	OverwriteType,
	Partials,
	PermissionFlagsBits,
	Routes,
	ThreadChannel,
	type ChatInputCommandInteraction,
	type GuildMember,
	type Interaction,
	type Message,
	type PartialMessage,
	type RateLimitData,
	type TextChannel,
} from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
	attachmentOption,
	startFakeCdn,
	startFakeDiscord,
	type FakeDiscord,
	type StoredMessage,
} from '../../src/emulator/discord/index.js';
import { nextEvent } from '../support/next-event.js';

let fake: FakeDiscord;
let extraFakes: FakeDiscord[] = [];
let clients: Client[] = [];
let rejections: unknown[] = [];
const recordRejection = (reason: unknown): void => {
	rejections.push(reason);
};

function newClient(target: FakeDiscord = fake, partials: Partials[] = []): Client {
	const client = new Client({
		intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
		rest: { api: target.apiBase },
		waitGuildTimeout: 1000,
		partials,
	});
	clients.push(client);
	return client;
}

async function login(target: FakeDiscord = fake, partials: Partials[] = []): Promise<Client<true>> {
	const client = newClient(target, partials);
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

function storedMessage(id: string): StoredMessage {
	const message = fake.messagesIn(fake.textChannel.id).find((entry) => entry.id === id);
	if (!message) throw new Error(`message ${id} is not stored in #general`);
	return message;
}

// A digest, not the bytes: vitest compares Buffers element by element, which takes seconds for large ones.
type Download = { status: number; contentType: string | null; contentLength: string | null; sha256: string };

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

async function download(url: string, init: RequestInit = {}): Promise<Download> {
	const response = await fetch(url, init);
	const bytes = Buffer.from(await response.arrayBuffer());
	const header = (name: string): string | null => response.headers.get(name);
	return {
		status: response.status,
		contentType: header('content-type'),
		contentLength: header('content-length'),
		sha256: sha256(bytes),
	};
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

describe('fake Discord: attachments', () => {
	it('delivers member attachments with signed CDN links; the CDN serves the bytes with the given types', async () => {
		const client = await login();
		const text = Buffer.from('hello, file\n');
		const binary = randomBytes(3_000);
		const received = nextEvent<Message>(client, Events.MessageCreate);
		const stored = await fake.userSays(fake.textChannel.id, fake.users.alice, 'look', {
			attachments: [
				{ filename: 'notes.txt', data: text, contentType: 'text/plain; charset=utf-8' },
				{ filename: 'blob.bin', data: binary },
				{ filename: 'lie.png', data: text, contentType: 'image/png', servedContentType: 'text/html', reportedSize: 99 },
			],
		});
		const message = await received;
		expect(message.flags.bitfield).toBe(0);
		const [notes, blob, lie] = [...message.attachments.values()];
		expect(notes?.id).toBe(stored.attachments[0]?.id);
		expect(notes?.name).toBe('notes.txt');
		expect(notes?.size).toBe(text.length);
		expect(notes?.contentType).toBe('text/plain; charset=utf-8');
		const [path, query] = notes!.url.split('?');
		expect(path).toBe(`${fake.cdn.origin}/attachments/${fake.textChannel.id}/${notes!.id}/notes.txt`);
		expect(query).toMatch(/^ex=[0-9a-f]{8}&is=[0-9a-f]{8}&hm=[0-9a-f]{64}&$/);
		expect(notes?.proxyURL).toBe(notes?.url);
		expect([notes?.duration, notes?.waveform, notes?.flags.bitfield, notes?.ephemeral]).toEqual([null, null, 0, false]);
		expect(blob?.contentType).toBeNull();
		expect(lie?.size).toBe(99);
		expect(await download(notes!.url)).toEqual({
			status: 200,
			contentType: 'text/plain; charset=utf-8',
			contentLength: String(text.length),
			sha256: sha256(text),
		});
		expect(await download(blob!.url)).toMatchObject({
			contentType: 'application/octet-stream',
			sha256: sha256(binary),
		});
		expect(await download(lie!.url)).toMatchObject({ contentType: 'text/html', contentLength: String(text.length) });
		expect((await download(path!)).status).toBe(404);
		expect(fake.cdn.requests.map((request) => [request.attachmentId, request.status])).toEqual([
			[notes!.id, 200],
			[blob!.id, 200],
			[lie!.id, 200],
			[notes!.id, 404],
		]);
		const fetched = await general(client).messages.fetch({ message: message.id, force: true });
		expect(fetched.attachments.map((attachment) => attachment.url)).toEqual([notes?.url, blob?.url, lie?.url]);
	});

	it('delivers voice messages with IS_VOICE_MESSAGE, empty content, duration and waveform', async () => {
		const client = await login();
		const original = await fake.userSays(fake.textChannel.id, fake.users.bob, 'question');
		const received = nextEvent<Message>(client, Events.MessageCreate, (message) => message.id !== original.id);
		const ogg = Buffer.concat([Buffer.from('OggS'), randomBytes(500)]);
		await fake.userSays(fake.textChannel.id, fake.users.bob, '', {
			replyTo: original.id,
			voiceMessage: true,
			attachments: [
				{ filename: 'voice-message.ogg', data: ogg, contentType: 'audio/ogg', durationSecs: 2.5, waveform: 'AAEC' },
			],
		});
		const message = await received;
		expect(message.flags.has(MessageFlags.IsVoiceMessage)).toBe(true);
		expect(message.content).toBe('');
		expect(message.reference?.messageId).toBe(original.id);
		const voice = message.attachments.first();
		expect([voice?.contentType, voice?.duration, voice?.waveform]).toEqual(['audio/ogg', 2.5, 'AAEC']);
		expect((await download(voice!.url)).sha256).toBe(sha256(ogg));
	});

	it('expires and redirects links, serves other origins, streams slowly and records every download', async () => {
		const moved = Buffer.from('moved');
		const other = await startFakeCdn({ '/moved.bin': { data: moved, contentType: 'image/gif' } });
		try {
			const big = randomBytes(200 * 1024);
			const posted = await fake.userSays(fake.textChannel.id, fake.users.alice, '', {
				attachments: [
					{ filename: 'a.txt', data: Buffer.from('a') },
					{ filename: 'b.txt', data: Buffer.from('b') },
					{ filename: 'big.bin', data: big },
					{ filename: 'elsewhere.gif', data: Buffer.from('unused'), url: other.url('/moved.bin') },
				],
			});
			const [a, b, slow, elsewhere] = posted.attachments;
			const client = await login();
			const links = (await general(client).messages.fetch({ limit: 1 })).first()!.attachments;
			expect(links.get(elsewhere!.id)?.url).toBe(other.url('/moved.bin'));
			fake.cdn.expire(a!.id);
			fake.cdn.redirect(b!.id, other.url('/moved.bin'));
			expect(await download(links.get(a!.id)!.url)).toMatchObject({ status: 404 });
			expect(await download(links.get(b!.id)!.url, { redirect: 'manual' })).toMatchObject({ status: 302 });
			expect(await download(links.get(b!.id)!.url)).toMatchObject({
				contentType: 'image/gif',
				sha256: sha256(moved),
			});
			expect((await download(links.get(elsewhere!.id)!.url)).sha256).toBe(sha256(moved));
			fake.cdn.setChunkDelay(40);
			const started = Date.now();
			expect((await download(links.get(slow!.id)!.url)).sha256).toBe(sha256(big));
			expect(Date.now() - started).toBeGreaterThanOrEqual(4 * 40 - 5);
			const timedOut = download(links.get(slow!.id)!.url, { signal: AbortSignal.timeout(60) });
			await expect(timedOut).rejects.toThrow(/abort|timeout/i);
			fake.cdn.setChunkDelay(0);
			fake.cdn.expire();
			expect(await download(links.get(slow!.id)!.url)).toMatchObject({ status: 404 });
			expect(fake.cdn.requests.map((request) => [request.attachmentId, request.status])).toEqual([
				[a!.id, 404],
				[b!.id, 302],
				[b!.id, 302],
				[slow!.id, 200],
				[slow!.id, 200],
				[slow!.id, 404],
			]);
			expect(fake.cdn.requests.every((request) => request.path.startsWith('/attachments/'))).toBe(true);
			expect(other.requests.map((request) => request.path)).toEqual(['/moved.bin', '/moved.bin']);
		} finally {
			await other.close();
		}
	});

	it('resolves a slash command attachment option to an ephemeral CDN link', async () => {
		const client = await login();
		const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), randomBytes(1_000)]);
		const received = nextEvent<ChatInputCommandInteraction>(client, Events.InteractionCreate);
		const handle = await fake.slash({
			name: 'describe',
			options: [attachmentOption('file'), { name: 'detail', type: 3, value: 'high' }],
			attachments: [{ filename: 'photo.png', data: png, contentType: 'image/png' }],
			channelId: fake.textChannel.id,
			user: fake.users.alice,
		});
		const interaction = await received;
		const file = interaction.options.getAttachment('file');
		expect(file?.id).toBe(handle.attachments[0]?.id);
		expect([file?.name, file?.contentType, file?.size, file?.ephemeral]).toEqual([
			'photo.png',
			'image/png',
			1_004,
			true,
		]);
		expect(file?.url).toContain(`/ephemeral-attachments/${fake.textChannel.id}/${file?.id ?? ''}/photo.png?ex=`);
		expect(interaction.options.getString('detail')).toBe('high');
		expect(await download(file!.url)).toMatchObject({ contentType: 'image/png', sha256: sha256(png) });
		await interaction.reply('seen');
	});

	it('stores bot uploads byte for byte from channel.send, editReply and followUp, and serves them', async () => {
		const client = await login();
		// Not random: discord.js sniffs a type from magic bytes (else the part is application/octet-stream), which random
		// data could happen to match.
		const data = Buffer.from(Array.from({ length: 70_000 }, (_, index) => (index * 7 + 3) % 256));
		const sent = await general(client).send({ content: 'export', files: [{ attachment: data, name: 'chat.bin' }] });
		expect(sent.attachments.first()?.name).toBe('chat.bin');
		expect([sent.attachments.first()?.size, sent.attachments.first()?.contentType]).toEqual([
			data.length,
			'application/octet-stream',
		]);
		expect(storedMessage(sent.id).attachments.map((file) => [file.filename, file.data.equals(data)])).toEqual([
			['chat.bin', true],
		]);
		expect(await download(sent.attachments.first()!.url)).toMatchObject({
			contentType: 'application/octet-stream',
			contentLength: '70000',
			sha256: sha256(data),
		});
		const jsonl = Buffer.from('{"role":"user"}\n{"role":"model"}\n');
		client.on(Events.InteractionCreate, (interaction: Interaction) => {
			if (!interaction.isChatInputCommand()) return;
			void (async () => {
				await interaction.deferReply();
				await interaction.editReply({ content: 'here', files: [{ attachment: jsonl, name: 'session.jsonl' }] });
				await interaction.followUp({ files: [{ attachment: data, name: 'more.bin' }] });
			})();
		});
		const handle = await fake.slash({ name: 'export', channelId: fake.textChannel.id, user: fake.users.alice });
		await fake.waitFor(() => handle.followups.length === 1, { description: 'followUp with a file' });
		const reply = handle.original?.attachments[0];
		expect([reply?.filename, reply?.contentType, reply?.data.equals(jsonl)]).toEqual([
			'session.jsonl',
			'application/json',
			true,
		]);
		expect(handle.followups[0]?.attachments[0]?.data.equals(data)).toBe(true);
		const replyUrl = (await general(client).messages.fetch(handle.original!.id)).attachments.first()!.url;
		expect(await download(replyUrl)).toMatchObject({ contentType: 'application/json', sha256: sha256(jsonl) });
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

describe('fake Discord: global rate limit', () => {
	const get = (path: string, init: RequestInit = {}): Promise<Response> =>
		fetch(`${fake.apiBase}/v10${path}`, { ...init, headers: { authorization: `Bot ${fake.token}` } });

	it('answers bot requests over the window with a global 429, exempting callbacks and webhooks', async () => {
		fake.setGlobalRateLimit({ limit: 2, windowMs: 300 });
		expect((await get('/users/@me')).status).toBe(200);
		expect((await get(`/channels/${fake.textChannel.id}/messages`)).status).toBe(200);
		const limited = await get('/users/@me');
		expect(limited.status).toBe(429);
		expect(limited.headers.get('x-ratelimit-global')).toBe('true');
		expect(limited.headers.get('x-ratelimit-scope')).toBe('global');
		const retryAfter = Number(limited.headers.get('retry-after'));
		expect(retryAfter).toBeGreaterThan(0);
		expect(retryAfter).toBeLessThanOrEqual(0.3);
		expect(await limited.json()).toEqual({
			message: 'You are being rate limited.',
			retry_after: retryAfter,
			global: true,
		});
		expect((await fetch(`${fake.apiBase}/v10/users/@me`)).status).toBe(401);
		expect((await get('/interactions/1/nope/callback', { method: 'POST' })).status).toBe(404);
		expect((await get(`/webhooks/${fake.applicationId}/nope/messages/@original`)).status).toBe(404);
		expect(fake.stats).toMatchObject({ served429: 1, served429Global: 1 });
		await sleep(retryAfter * 1000);
		expect((await get('/users/@me')).status).toBe(200);

		fake.setGlobalRateLimit({ limit: 1, windowMs: 300, advertise: false });
		await get('/users/@me');
		const hidden = await get('/users/@me');
		expect(hidden.status).toBe(429);
		expect(hidden.headers.get('x-ratelimit-global')).toBeNull();
		expect(hidden.headers.get('retry-after')).not.toBeNull();
		expect(await hidden.json()).toMatchObject({ global: true });
		expect(fake.stats).toMatchObject({ served429: 2, served429Global: 2 });
	});

	it('makes discord.js pause every bucket and retry transparently', async () => {
		const client = await login();
		const random = fake.addTextChannel('random');
		await fake.waitFor(() => client.channels.cache.has(random.id), { description: 'CHANNEL_CREATE' });
		const other = client.channels.cache.get(random.id) as TextChannel;
		const limited: RateLimitData[] = [];
		client.rest.on('rateLimited', (data) => limited.push(data));
		fake.setGlobalRateLimit({ limit: 3, windowMs: 400 });
		const started = Date.now();
		await Promise.all([
			general(client).send('a'),
			general(client).send('b'),
			other.send('c'),
			other.send('d'),
			general(client).sendTyping(),
			other.sendTyping(),
		]);
		expect(Date.now() - started).toBeGreaterThanOrEqual(300);
		expect(fake.messagesIn(fake.textChannel.id).map((message) => message.content)).toEqual(['a', 'b']);
		expect(fake.messagesIn(random.id).map((message) => message.content)).toEqual(['c', 'd']);
		expect(fake.stats.served429Global).toBeGreaterThanOrEqual(1);
		expect(fake.stats.served429).toBe(fake.stats.served429Global);
		expect(limited.length).toBeGreaterThan(0);
		expect(limited.every((data) => data.global)).toBe(true);
	});
});

describe('fake Discord: archived threads and lost permissions', () => {
	it('refuses edits in an archived thread with 50083; a post unarchives it unless it is locked', async () => {
		const client = await login();
		const thread = await (await general(client).send('start')).startThread({ name: 'session' });
		const reply = await thread.send('answer');
		fake.archiveThread(thread.id);
		await fake.waitFor(() => thread.archived, { description: 'THREAD_UPDATE archived' });
		const refused = await apiError(reply.edit('changed'));
		expect(refused.status).toBe(400);
		expect(refused.rawError).toEqual({ code: 50083, message: 'Thread is archived' });
		expect(fake.messagesIn(thread.id).map((message) => message.versions)).toEqual([['answer']]);
		await thread.send('back again');
		expect(fake.channel(thread.id)?.archived).toBe(false);
		await reply.edit('changed');
		fake.archiveThread(thread.id, { locked: true });
		expect((await apiError(thread.send('locked out'))).code).toBe(50083);
		expect((await apiError(reply.edit('again'))).code).toBe(50083);
		expect(fake.channel(thread.id)).toMatchObject({ archived: true, locked: true });
	});

	it('answers a lost send permission with 50013 and a lost view permission with 50001', async () => {
		const client = await login();
		const channel = general(client);
		const mine = await channel.send('before');
		const thread = await mine.startThread({ name: 'inside' });
		const spare = await channel.send('spare');
		fake.revokeBotPermission(channel.id, 'send');
		const denied = [
			() => channel.send('x'),
			() => mine.edit('y'),
			() => channel.sendTyping(),
			() => channel.threads.create({ name: 'new' }),
			() => spare.startThread({ name: 'from spare' }),
		];
		for (const attempt of denied) {
			const error = await apiError(attempt());
			expect(error.status).toBe(403);
			expect(error.rawError).toEqual({ code: 50013, message: 'Missing Permissions' });
		}
		const readable = await channel.messages.fetch({ limit: 10 });
		expect([...readable.values()].map((message) => message.content)).toEqual(['spare', 'before']);
		expect((await channel.messages.fetch({ message: mine.id, force: true })).content).toBe('before');
		await thread.send('threads need SEND_MESSAGES_IN_THREADS instead');

		fake.revokeBotPermission(channel.id, 'view');
		const hidden = [
			() => channel.messages.fetch({ limit: 10 }),
			() => channel.messages.fetch({ message: mine.id, force: true }),
			() => channel.send('x'),
			() => mine.delete(),
			() => client.channels.fetch(channel.id, { force: true }),
			() => thread.send('a thread is hidden with its parent'),
		];
		for (const attempt of hidden) {
			const error = await apiError(attempt());
			expect(error.status).toBe(403);
			expect(error.rawError).toEqual({ code: 50001, message: 'Missing Access' });
		}
		expect((await fetch(`${fake.apiBase}/v10/channels/${channel.id}/messages`)).status).toBe(401);
		fake.restoreBotPermission(channel.id);
		await channel.send('after');
		expect(fake.messagesIn(channel.id).at(-1)?.content).toBe('after');
	});
});

describe('fake Discord: member and moderator actions', () => {
	it('dispatches edits, deletions, archiving and thread deletion that discord.js emits for cached objects', async () => {
		const client = await login();
		const thread = await fake.createThread({ parentId: fake.textChannel.id, name: 'help', owner: fake.users.alice });
		const created = nextEvent<Message>(client, Events.MessageCreate);
		const said = await fake.userSays(fake.textChannel.id, fake.users.alice, 'typo');
		await created;
		expect(client.channels.cache.has(thread.id)).toBe(true);

		const updated = once(client, Events.MessageUpdate);
		const stored = fake.userEdits(said.id, 'fixed');
		const [before, after] = (await updated) as [Message, Message];
		expect([before.content, after.content]).toEqual(['typo', 'fixed']);
		expect(after.editedTimestamp).toBe(stored.editedAt);
		expect(stored.versions).toEqual(['typo', 'fixed']);
		const update = fake.gatewayLog.findLast((entry) => (entry.payload as { t?: unknown }).t === 'MESSAGE_UPDATE');
		expect((update?.payload as { d: { edited_timestamp: unknown } }).d.edited_timestamp).toBe(
			new Date(stored.editedAt ?? 0).toISOString(),
		);

		const deleted = once(client, Events.MessageDelete);
		fake.userDeletes(said.id);
		const [gone] = (await deleted) as [Message];
		expect([gone.id, gone.content, gone.partial]).toEqual([said.id, 'fixed', false]);
		expect(fake.messagesIn(fake.textChannel.id)).toEqual([]);

		const archived = once(client, Events.ThreadUpdate);
		fake.archiveThread(thread.id, { locked: true });
		const [oldThread, newThread] = (await archived) as [ThreadChannel, ThreadChannel];
		expect([oldThread.archived, newThread.archived, newThread.locked]).toEqual([false, true, true]);

		const threadDeleted = once(client, Events.ThreadDelete);
		fake.deleteThread(thread.id);
		expect(((await threadDeleted) as [ThreadChannel])[0].id).toBe(thread.id);
		expect(client.channels.cache.has(thread.id)).toBe(false);
		expect(fake.channel(thread.id)).toBeUndefined();
		expect((await apiError(client.rest.get(Routes.channel(thread.id)))).code).toBe(10003);
	});

	it('shows which partials make discord.js emit events for messages and threads it has not cached', async () => {
		const channelId = fake.textChannel.id;
		const [seeded] = fake.seedMessages(channelId, [{ author: fake.users.alice, content: 'seeded' }]);
		const posted = await fake.userSays(channelId, fake.users.bob, 'posted before login');
		const gone = await fake.createThread({ parentId: channelId, name: 'gone', owner: fake.users.alice });
		const [inGone, alsoInGone] = fake.seedMessages(gone.id, [
			{ author: fake.users.alice, content: 'in gone' },
			{ author: fake.users.bob, content: 'also in gone' },
		]);
		const dormant = await fake.createThread({ parentId: channelId, name: 'dormant', owner: fake.users.bob });
		fake.archiveThread(gone.id);
		fake.archiveThread(dormant.id);
		const setups: Record<string, Partials[]> = {
			none: [],
			message: [Partials.Message],
			channel: [Partials.Channel],
			both: [Partials.Message, Partials.Channel],
		};
		const seen = new Map<string, string[]>();
		const markers: Promise<Message>[] = [];
		await Promise.all(
			Object.entries(setups).map(async ([name, partials]) => {
				const client = await login(fake, partials);
				const log: string[] = [];
				seen.set(name, log);
				expect(client.channels.cache.has(gone.id) || client.channels.cache.has(dormant.id)).toBe(false);
				client.on(Events.MessageUpdate, (old: Message | PartialMessage, next: Message) => {
					log.push(`update ${next.id} old.partial=${old.partial} content=${next.content}`);
				});
				client.on(Events.MessageDelete, (message: Message | PartialMessage) => {
					log.push(`delete ${message.id} partial=${message.partial} content=${message.content ?? 'null'}`);
				});
				client.on(Events.ThreadUpdate, (_old: ThreadChannel, thread: ThreadChannel) =>
					log.push(`threadUpdate ${thread.id}`),
				);
				client.on(Events.ThreadDelete, (thread: ThreadChannel) => log.push(`threadDelete ${thread.id}`));
				markers.push(nextEvent<Message>(client, Events.MessageCreate, (message) => message.channelId === dormant.id));
			}),
		);
		fake.userEdits(seeded!.id, 'seeded, edited');
		fake.userDeletes(posted.id);
		fake.userEdits(inGone!.id, 'in gone, edited');
		fake.userDeletes(alsoInGone!.id);
		fake.deleteThread(gone.id);
		await fake.userSays(dormant.id, fake.users.bob, 'wakes the dormant thread');
		const arrived = await Promise.all(markers);
		expect(arrived.every((message) => message.channel.isThread())).toBe(true);
		const withMessagePartial = [
			`update ${seeded!.id} old.partial=true content=seeded, edited`,
			`delete ${posted.id} partial=true content=null`,
		];
		expect(Object.fromEntries(seen)).toEqual({
			none: [],
			message: withMessagePartial,
			channel: [],
			both: withMessagePartial,
		});
	});
});

describe('fake Discord: login failures and restarts', () => {
	const gatewayOps = (direction: 'in' | 'out', op: number): unknown[] =>
		fake.gatewayLog.filter((entry) => entry.direction === direction && (entry.payload as { op?: unknown }).op === op);

	it('closes IDENTIFY with 4004 while REST accepts the token: login() rejects with a plain Error', async () => {
		fake.rejectGatewayIdentify(true);
		const client = newClient();
		const disconnects: number[] = [];
		client.on(Events.ShardDisconnect, (event: { code: number }) => disconnects.push(event.code));
		const error: unknown = await client.login(fake.token).then(
			() => undefined,
			(reason: unknown) => reason,
		);
		expect(error).toBeInstanceOf(Error);
		expect(error).not.toBeInstanceOf(DiscordjsError);
		expect((error as Error).constructor).toBe(Error);
		expect((error as Error & { code?: unknown }).code).toBeUndefined();
		expect((error as Error).message).toBe('Authentication failed');
		expect(disconnects).toEqual([4004]);
		expect(gatewayOps('in', 2)).toHaveLength(1);
		expect(fake.requests.map((request) => [request.route, request.status])).toEqual([['/gateway/bot', 200]]);
		const me = await fetch(`${fake.apiBase}/v10/users/@me`, { headers: { authorization: `Bot ${fake.token}` } });
		expect(me.status).toBe(200);

		const wrongToken = await newClient()
			.login('not-the-token')
			.then(
				() => undefined,
				(reason: unknown) => reason,
			);
		expect(wrongToken).toBeInstanceOf(DiscordjsError);
		expect(wrongToken).toMatchObject({ code: 'TokenInvalid', message: 'An invalid token was provided.' });

		fake.rejectGatewayIdentify(false);
		expect((await login()).user.id).toBe(fake.bot.id);
	});

	/** Collects what a client receives until a marker message posted after its login arrives. */
	async function deliveredAfterLogin(client: Client<true>): Promise<string[]> {
		const contents: string[] = [];
		client.on(Events.MessageCreate, (message: Message) => contents.push(message.content));
		const marker = nextEvent<Message>(client, Events.MessageCreate, (message) => message.content === 'marker');
		await fake.userSays(fake.textChannel.id, fake.users.alice, 'marker');
		await marker;
		return contents;
	}

	it('does not deliver messages posted while no bot was connected; fetch({ after }) returns them newest first', async () => {
		const first = await login();
		const lastSeen = await general(first).send('last seen');
		await first.destroy();
		const missed1 = await fake.userSays(fake.textChannel.id, fake.users.alice, 'missed 1');
		const missed2 = await fake.userSays(fake.textChannel.id, fake.users.bob, 'missed 2');
		const second = await login();
		expect(await deliveredAfterLogin(second)).toEqual(['marker']);
		expect(gatewayOps('in', 2)).toHaveLength(2);
		expect(gatewayOps('in', 6)).toEqual([]);
		const fetched = await general(second).messages.fetch({ after: lastSeen.id, limit: 100 });
		expect([...fetched.values()].map((message) => message.content)).toEqual(['marker', 'missed 2', 'missed 1']);
		expect(fetched.lastKey()).toBe(missed1.id);
		expect(fetched.at(1)?.id).toBe(missed2.id);
		const read = fake.requests.findLast((request) => request.route === '/channels/:channelId/messages');
		expect(read?.query).toEqual({ after: lastSeen.id, limit: '100' });
	});

	it('does not hand what a killed session buffered to a fresh IDENTIFY, though RESUME would replay it', async () => {
		const first = await login();
		const lastSeq = Math.max(...fake.gatewayLog.map((entry) => (entry.payload as { s?: number | null }).s ?? 0));
		const ready = fake.gatewayLog.find((entry) => (entry.payload as { t?: unknown }).t === 'READY');
		const sessionId = (ready?.payload as { d: { session_id: string } }).d.session_id;
		fake.disconnectClients();
		// Destroyed before it sees the drop: no close frame reaches the fake and nothing resumes, as with a killed process.
		await first.destroy();
		await fake.userSays(fake.textChannel.id, fake.users.alice, 'while dead');
		const second = await login();
		expect(await deliveredAfterLogin(second)).toEqual(['marker']);
		expect(gatewayOps('in', 6)).toEqual([]);

		const socket = new WebSocket(`${fake.apiBase.replace('http', 'ws').replace(/\/api$/, '')}/gateway?v=10`);
		const replayed = await new Promise<string[]>((resolve) => {
			const contents: string[] = [];
			socket.on('message', (raw: Buffer) => {
				const payload = JSON.parse(raw.toString()) as { op: number; t: string | null; d: { content?: string } };
				if (payload.op === 10) {
					socket.send(JSON.stringify({ op: 6, d: { token: fake.token, session_id: sessionId, seq: lastSeq } }));
				} else if (payload.t === 'MESSAGE_CREATE') contents.push(payload.d.content ?? '');
				else if (payload.t === 'RESUMED') resolve(contents);
			});
		});
		socket.close(1000);
		expect(replayed).toEqual(['while dead', 'marker']);
	});

	it('has threads the bot created before a restart in the new client cache; archived ones only by fetch', async () => {
		const first = await login();
		const fromMessage = await (await general(first).send('start')).startThread({ name: 'from message' });
		const privateThread = await general(first).threads.create({ name: 'private', type: ChannelType.PrivateThread });
		const archived = await general(first).threads.create({ name: 'archived' });
		await archived.setArchived(true);
		await first.destroy();
		const second = await login();
		for (const [thread, type] of [
			[fromMessage, ChannelType.PublicThread],
			[privateThread, ChannelType.PrivateThread],
		] as const) {
			const cached = second.channels.cache.get(thread.id);
			expect(cached).toBeInstanceOf(ThreadChannel);
			expect(cached).toMatchObject({ type, parentId: fake.textChannel.id, ownerId: fake.bot.id, archived: false });
		}
		await (second.channels.cache.get(fromMessage.id) as ThreadChannel).send('after the restart');
		expect(fake.messagesIn(fromMessage.id).map((message) => message.content)).toEqual(['after the restart']);
		expect(second.channels.cache.has(archived.id)).toBe(false);
		const fetched = await second.channels.fetch(archived.id);
		expect(fetched).toBeInstanceOf(ThreadChannel);
		expect((fetched as ThreadChannel).archived).toBe(true);
	});
});

describe('fake Discord: channel permission overwrites', () => {
	const { AddReactions, AttachFiles, EmbedLinks, ManageMessages, SendMessages, SendMessagesInThreads, ViewChannel } =
		PermissionFlagsBits;

	function memberIn(client: Client<true>, userId: string): GuildMember {
		const member = client.guilds.cache.get(fake.guild.id)?.members.cache.get(userId);
		if (!member) throw new Error(`member ${userId} is not cached`);
		return member;
	}

	// The fake gives `moderator` a role of their own; the client's cache is where a test learns its id.
	function moderatorRoleId(client: Client<true>): string {
		const role = memberIn(client, fake.users.moderator.id).roles.cache.find((entry) => entry.id !== fake.guild.id);
		if (!role) throw new Error('moderator has no role');
		return role.id;
	}

	function dispatched(event: string): { t: string; d: Record<string, unknown> }[] {
		return fake.gatewayLog
			.map((entry) => entry.payload as { t?: unknown; d?: Record<string, unknown> })
			.filter((payload): payload is { t: string; d: Record<string, unknown> } => payload.t === event);
	}

	it('dispatches CHANNEL_UPDATE with @everyone, role and member overwrites that discord.js permissionsIn applies', async () => {
		const client = await login();
		const roleId = moderatorRoleId(client);
		const { alice, bob, moderator } = fake.users;
		let updates = 0;
		client.on(Events.ChannelUpdate, () => {
			updates += 1;
		});
		const channelId = fake.textChannel.id;
		fake.setPermissionOverwrite(channelId, { id: fake.guild.id, type: 0, deny: AddReactions });
		fake.setPermissionOverwrite(channelId, { id: roleId, type: 0, allow: ManageMessages });
		fake.setPermissionOverwrite(channelId, { id: alice.id, type: 1, deny: AttachFiles });
		fake.setPermissionOverwrite(channelId, { id: alice.id, type: 1, deny: SendMessages });
		fake.setPermissionOverwrite(channelId, { id: bob.id, type: 1, allow: ManageMessages });
		fake.setPermissionOverwrite(channelId, { id: bob.id, type: 1, allow: 0n, deny: 0n });
		await fake.waitFor(() => updates === 6, { description: 'six CHANNEL_UPDATEs' });

		const channel = general(client);
		const cached = [...channel.permissionOverwrites.cache.values()];
		expect(cached.map((entry) => [entry.id, entry.type, entry.allow.bitfield, entry.deny.bitfield])).toEqual([
			[fake.guild.id, OverwriteType.Role, 0n, AddReactions],
			[roleId, OverwriteType.Role, ManageMessages, 0n],
			[alice.id, OverwriteType.Member, 0n, SendMessages],
		]);
		expect(dispatched('CHANNEL_UPDATE').at(-1)?.d.permission_overwrites).toEqual([
			{ id: fake.guild.id, type: 0, allow: '0', deny: AddReactions.toString() },
			{ id: roleId, type: 0, allow: ManageMessages.toString(), deny: '0' },
			{ id: alice.id, type: 1, allow: '0', deny: SendMessages.toString() },
		]);
		const aliceIn = memberIn(client, alice.id).permissionsIn(channel);
		expect([aliceIn.has(ViewChannel), aliceIn.has(SendMessages), aliceIn.has(AttachFiles)]).toEqual([
			true,
			false,
			true,
		]);
		expect(aliceIn.has(AddReactions)).toBe(false);
		const bobIn = memberIn(client, bob.id).permissionsIn(channel);
		expect([bobIn.has(SendMessages), bobIn.has(ManageMessages), bobIn.has(AddReactions)]).toEqual([true, false, false]);
		expect(memberIn(client, moderator.id).permissions.has(ManageMessages)).toBe(false);
		expect(memberIn(client, moderator.id).permissionsIn(channel).has(ManageMessages)).toBe(true);
	});

	it('sends overwrites in GUILD_CREATE and GET /channels/:id; a thread carries none and uses its parent', async () => {
		const { alice, bob } = fake.users;
		fake.setPermissionOverwrite(fake.textChannel.id, { id: alice.id, type: 1, deny: SendMessagesInThreads });
		const thread = await fake.createThread({ parentId: fake.textChannel.id, name: 'help', owner: bob });
		expect(() => {
			fake.setPermissionOverwrite(thread.id, { id: alice.id, type: 1, deny: SendMessages });
		}).toThrow(/is a thread, which uses its parent's overwrites/);
		const client = await login();
		expect(general(client).permissionOverwrites.cache.get(alice.id)?.deny.bitfield).toBe(SendMessagesInThreads);
		const wire = { id: alice.id, type: 1, allow: '0', deny: SendMessagesInThreads.toString() };
		const fetched = (await client.rest.get(Routes.channel(fake.textChannel.id))) as Record<string, unknown>;
		expect(fetched.permission_overwrites).toEqual([wire]);
		const fetchedThread = (await client.rest.get(Routes.channel(thread.id))) as Record<string, unknown>;
		expect(fetchedThread).not.toHaveProperty('permission_overwrites');

		const cachedThread = client.channels.cache.get(thread.id);
		if (!(cachedThread instanceof ThreadChannel)) throw new Error('thread not cached');
		expect(memberIn(client, alice.id).permissionsIn(cachedThread).has(SendMessagesInThreads)).toBe(false);
		expect(memberIn(client, bob.id).permissionsIn(cachedThread).has(SendMessagesInThreads)).toBe(true);
		await expect(fake.userSays(thread.id, alice, 'let me in')).rejects.toThrow(
			`fake-discord: alice lacks SEND_MESSAGES_IN_THREADS in ${thread.id}, so cannot post`,
		);
		await fake.userSays(thread.id, bob, 'bob may');
		await fake.userSays(fake.textChannel.id, alice, 'the parent is still open to alice');
		expect(fake.messagesIn(thread.id).map((message) => message.content)).toEqual(['bob may']);
	});

	it('gives slash commands memberPermissions and appPermissions in their channel; SlashOptions.permissions wins', async () => {
		const client = await login();
		const { alice, bob } = fake.users;
		const random = fake.addTextChannel('random');
		fake.setPermissionOverwrite(fake.textChannel.id, { id: alice.id, type: 1, deny: SendMessages });
		fake.setPermissionOverwrite(fake.textChannel.id, { id: fake.bot.id, type: 1, deny: EmbedLinks });
		fake.setPermissionOverwrite(random.id, { id: bob.id, type: 1, deny: ViewChannel });
		const seen: ChatInputCommandInteraction[] = [];
		client.on(Events.InteractionCreate, (interaction: Interaction) => {
			if (interaction.isChatInputCommand()) seen.push(interaction);
		});
		const who = [{ name: 'who', type: 6, value: alice.id }];
		const inGeneral = await fake.slash({ name: 'ask', channelId: fake.textChannel.id, user: alice, options: who });
		await fake.slash({ name: 'ask', channelId: random.id, user: alice });
		const override = SendMessages | ViewChannel;
		await fake.slash({ name: 'ask', channelId: fake.textChannel.id, user: alice, permissions: override });
		await fake.slash({ name: 'ask', channelId: random.id, user: bob });
		await fake.waitFor(() => seen.length === 4, { description: 'four slash commands' });

		const [muted, elsewhere, overridden, hidden] = seen.map((interaction) => ({
			member: interaction.memberPermissions?.bitfield ?? -1n,
			app: interaction.appPermissions.bitfield,
		}));
		const has = (bits: bigint | undefined, flag: bigint): boolean => ((bits ?? 0n) & flag) === flag;
		expect([has(muted?.member, ViewChannel), has(muted?.member, SendMessages)]).toEqual([true, false]);
		expect([has(muted?.app, SendMessages), has(muted?.app, EmbedLinks)]).toEqual([true, false]);
		expect([has(elsewhere?.member, SendMessages), has(elsewhere?.app, EmbedLinks)]).toEqual([true, true]);
		expect(overridden?.member).toBe(override);
		expect(hidden?.member).toBe(0n);

		const payload = dispatched('INTERACTION_CREATE').find((entry) => entry.d.id === inGeneral.id)?.d;
		const resolved = (payload?.data as { resolved?: { members?: Record<string, { permissions: string }> } }).resolved;
		expect(has(BigInt(resolved?.members?.[alice.id]?.permissions ?? '-1'), SendMessages)).toBe(false);
		expect((payload?.channel as { permission_overwrites?: unknown[] }).permission_overwrites).toHaveLength(2);
	});

	it('refuses userSays from a member Discord would not let post, going by role and member overwrites', async () => {
		const client = await login();
		const roleId = moderatorRoleId(client);
		const { alice, bob, moderator } = fake.users;
		const staff = fake.addTextChannel('staff');
		fake.setPermissionOverwrite(staff.id, { id: fake.guild.id, type: 0, deny: ViewChannel });
		fake.setPermissionOverwrite(staff.id, { id: roleId, type: 0, allow: ViewChannel });
		fake.setPermissionOverwrite(fake.textChannel.id, { id: alice.id, type: 1, deny: SendMessages });
		const received: string[] = [];
		client.on(Events.MessageCreate, (message: Message) => received.push(message.content));

		await expect(fake.userSays(fake.textChannel.id, alice, 'muted')).rejects.toThrow(
			`fake-discord: alice lacks SEND_MESSAGES in ${fake.textChannel.id}, so cannot post`,
		);
		await expect(fake.userSays(staff.id, bob, 'let me see')).rejects.toThrow(
			/bob lacks VIEW_CHANNEL and SEND_MESSAGES/,
		);
		await fake.userSays(fake.textChannel.id, bob, 'bob may');
		await fake.userSays(staff.id, moderator, 'staff only');
		fake.setPermissionOverwrite(fake.textChannel.id, { id: alice.id, type: 1 });
		await fake.userSays(fake.textChannel.id, alice, 'unmuted');
		await fake.waitFor(() => received.length === 3, { description: 'three MESSAGE_CREATEs' });
		expect(received).toEqual(['bob may', 'staff only', 'unmuted']);
		expect(fake.messagesIn(fake.textChannel.id).map((message) => message.content)).toEqual(['bob may', 'unmuted']);
	});
});
