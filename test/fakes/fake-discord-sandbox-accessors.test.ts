import { once } from 'node:events';
import {
	Client,
	Events,
	GatewayIntentBits,
	MessageFlags,
	type Interaction,
	type Message,
	type TextChannel,
} from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../../src/emulator/discord/index.js';
import { sampleFiles } from '../support/sample-files.js';
import { nextEvent } from '../support/next-event.js';

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

/** Replies to every slash command ephemerally with `ok /<name>`, as the bot's command handlers do. */
function replyEphemerally(client: Client): void {
	client.on(Events.InteractionCreate, (interaction: Interaction) => {
		if (!interaction.isChatInputCommand()) return;
		void interaction.reply({ content: `ok /${interaction.commandName}`, flags: MessageFlags.Ephemeral });
	});
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

describe('fake Discord: accessors the sandbox reads', () => {
	it('names the first guild after the guildName option in GUILD_CREATE, and Fake Guild without it', async () => {
		const named = await startFakeDiscord({ guildName: 'Sandbox' });
		extraFakes.push(named);
		const client = await login(named);
		expect(named.guild.name).toBe('Sandbox');
		expect(client.guilds.cache.get(named.guild.id)?.name).toBe('Sandbox');

		const plain = await login();
		expect(fake.guild.name).toBe('Fake Guild');
		expect(plain.guilds.cache.get(fake.guild.id)?.name).toBe('Fake Guild');
	});

	it('mints the same ids in every run founded at the same time, with the extra channels, and later ids of now', async () => {
		const options = { foundedAt: Date.UTC(2026, 0, 1), channels: ['random'] };
		const [one, two] = await Promise.all([startFakeDiscord(options), startFakeDiscord(options)]);
		extraFakes.push(one, two);
		const ids = (target: FakeDiscord) => ({
			bot: target.bot.id,
			guild: target.guild.id,
			users: Object.values(target.users).map((user) => user.id),
			channels: target.channels.map((channel) => [channel.id, channel.name]),
			roles: target.roles,
		});
		expect(ids(two)).toEqual(ids(one));
		expect(one.channels.map((channel) => channel.name)).toEqual(['general', 'random']);
		const client = await login(one);
		const seen = client.guilds.cache.get(one.guild.id)?.channels.cache.map((channel) => [channel.id, channel.name]);
		expect(seen).toEqual(expect.arrayContaining(ids(one).channels));
		const before = Date.now();
		const message = await one.userSays(one.textChannel.id, one.users.alice, 'hello');
		expect(Number(BigInt(message.id) >> 22n) + 1_420_070_400_000).toBeGreaterThanOrEqual(before);
	});

	it('keeps about keepRecords of the newest requests and gateway payloads, and all of them without it', async () => {
		const trimmed = await startFakeDiscord({ keepRecords: 5 });
		extraFakes.push(trimmed);
		trimmed.setMessageRateLimit(undefined);
		fake.setMessageRateLimit(undefined);
		const client = await login(trimmed);
		const channel = client.channels.cache.get(trimmed.textChannel.id) as TextChannel;
		for (let index = 0; index < 30; index += 1) await channel.send(`note ${index}`);
		expect(trimmed.requests.length).toBeGreaterThanOrEqual(5);
		expect(trimmed.requests.length).toBeLessThanOrEqual(10);
		expect(trimmed.requests.at(-1)?.body).toMatchObject({ content: 'note 29' });
		expect(trimmed.gatewayLog.length).toBeLessThanOrEqual(10);

		const plain = await login();
		const general = plain.channels.cache.get(fake.textChannel.id) as TextChannel;
		for (let index = 0; index < 30; index += 1) await general.send(`note ${index}`);
		expect(fake.requests.filter((request) => request.method === 'POST')).toHaveLength(30);
	});

	it('lists every channel and thread of every guild in channels, in creation order, without deleted threads', async () => {
		const client = await login();
		const random = fake.addTextChannel('random');
		const forum = fake.addForumChannel('ideas');
		const memberThread = await fake.createThread({
			parentId: fake.textChannel.id,
			name: 'from alice',
			owner: fake.users.alice,
		});
		const botThread = await general(client).threads.create({ name: 'from the bot' });
		const second = fake.addGuild({ name: 'Second' });
		const secondRandom = second.addTextChannel('elsewhere');
		const doomed = await fake.createThread({ parentId: random.id, name: 'doomed', owner: fake.users.bob });

		const ids = [
			fake.textChannel.id,
			random.id,
			forum.id,
			memberThread.id,
			botThread.id,
			second.textChannel.id,
			secondRandom.id,
			doomed.id,
		];
		expect(fake.channels.map((channel) => channel.id)).toEqual(ids);
		expect(fake.channels.map((channel) => channel.name)).toEqual([
			'general',
			'random',
			'ideas',
			'from alice',
			'from the bot',
			'general',
			'elsewhere',
			'doomed',
		]);
		expect(fake.channels.map((channel) => channel.guildId)).toEqual([
			...Array<string>(5).fill(fake.guild.id),
			second.id,
			second.id,
			fake.guild.id,
		]);

		fake.deleteThread(doomed.id);
		expect(fake.channels.map((channel) => channel.id)).toEqual(ids.slice(0, -1));
	});

	it('keeps each slash command in interactions and finds it from its ephemeral reply with interactionOf', async () => {
		const client = await login();
		replyEphemerally(client);
		const said = await fake.userSays(fake.textChannel.id, fake.users.alice, 'not an interaction');
		const first = await fake.slash({ name: 'ping', channelId: fake.textChannel.id, user: fake.users.alice });
		const second = await fake.slash({ name: 'help', channelId: fake.textChannel.id, user: fake.users.bob });
		const replies = await fake.waitFor(
			() => (first.original && second.original ? [first.original, second.original] : undefined),
			{
				description: 'two ephemeral replies',
			},
		);

		expect(fake.interactions).toEqual([first, second]);
		expect(fake.interactions[0]).toBe(first);
		expect(fake.interactions.map((interaction) => interaction.commandName)).toEqual(['ping', 'help']);
		expect(first.ephemeral).toBe(true);
		expect(replies.map((reply) => reply.content)).toEqual(['ok /ping', 'ok /help']);
		expect(fake.interactionOf(replies[0]!)).toBe(first);
		expect(fake.interactionOf(replies[1]!)).toBe(second);
		expect(fake.interactionOf(said)).toBeUndefined();
		expect(fake.messagesIn(fake.textChannel.id).map((message) => message.id)).toEqual([said.id]);
	});

	it('returns with attachment(id) the bytes of a file a member posted, as the discord.js client saw it', async () => {
		const client = await login();
		const png = await sampleFiles.png();
		const notes = Buffer.from('line one\nline two\n');
		const received = nextEvent<Message>(client, Events.MessageCreate);
		const stored = await fake.userSays(fake.textChannel.id, fake.users.alice, 'look', {
			attachments: [
				{ filename: 'picture.png', data: png, contentType: 'image/png' },
				{ filename: 'notes.txt', data: notes, contentType: 'text/plain' },
			],
		});
		const message = await received;
		const [seenPicture, seenNotes] = [...message.attachments.values()];

		const picture = fake.attachment(seenPicture!.id);
		expect(picture?.filename).toBe('picture.png');
		expect(picture?.contentType).toBe('image/png');
		expect(picture?.data.equals(png)).toBe(true);
		expect(fake.attachment(seenNotes!.id)?.data.toString('utf8')).toBe('line one\nline two\n');
		expect(stored.attachments.map((attachment) => attachment.id)).toEqual([seenPicture!.id, seenNotes!.id]);
		expect(fake.attachment('1')).toBeUndefined();
	});

	it('returns with attachment(id) a file the bot uploaded', async () => {
		const client = await login();
		const bytes = Buffer.from('from the bot\n');
		const sent = await general(client).send({ files: [{ attachment: bytes, name: 'bot.txt' }] });
		const id = sent.attachments.first()?.id;

		expect(id).toBeDefined();
		expect(fake.attachment(id!)?.data.equals(bytes)).toBe(true);
	});

	it('calls onChange listeners after REST requests and gateway payloads, and no longer after unsubscribing', async () => {
		type Seen = { lastRoute: string | undefined; lastEvent: unknown };
		const seen: Seen[] = [];
		const unsubscribe = fake.onChange(() => {
			const request = fake.requests.at(-1);
			const entry = fake.gatewayLog.at(-1);
			seen.push({
				lastRoute: request && `${request.method} ${request.route}`,
				lastEvent: entry?.direction === 'out' ? (entry.payload as { t?: unknown }).t : undefined,
			});
		});
		let stayed = 0;
		fake.onChange(() => {
			stayed += 1;
		});
		const client = await login();
		expect(seen.some((entry) => entry.lastEvent === 'READY')).toBe(true);

		const before = seen.length;
		await fake.userSays(fake.textChannel.id, fake.users.alice, 'hello');
		expect(seen.slice(before).some((entry) => entry.lastEvent === 'MESSAGE_CREATE')).toBe(true);

		const beforeSend = seen.length;
		await general(client).send('a reply');
		expect(seen.slice(beforeSend).map((entry) => entry.lastRoute)).toContain('POST /channels/:channelId/messages');

		unsubscribe();
		const frozen = seen.length;
		const stayedBefore = stayed;
		const echoed = nextEvent<Message>(client, Events.MessageCreate, (message) => message.content === 'after');
		await general(client).send('after');
		await echoed;
		await fake.userSays(fake.textChannel.id, fake.users.bob, 'and more');
		expect(stayed).toBeGreaterThan(stayedBefore);
		expect(seen).toHaveLength(frozen);
	});
});
