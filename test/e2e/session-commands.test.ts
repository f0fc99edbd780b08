import { describe, expect, it } from 'vitest';
import { PermissionFlagsBits } from 'discord.js';
import type { FakeInteraction, StoredMessage } from '../../src/emulator/discord/index.js';
import { mention, waitForReplies } from '../support/conversation.js';
import { option, runCommand } from '../support/slash.js';
import type { TestBot } from '../support/start-test-bot.js';
import { useTestBot } from '../support/use-test-bot.js';

const start = useTestBot();

const parseJsonl = (data: Buffer): unknown[] =>
	data
		.toString('utf8')
		.split('\n')
		.filter((line) => line !== '')
		.map((line) => JSON.parse(line) as unknown);

/** The reply and its follow-ups, once `done` says they are all there. */
async function answers(
	t: TestBot,
	interaction: FakeInteraction,
	done: (messages: StoredMessage[]) => boolean,
): Promise<StoredMessage[]> {
	return t.discord.waitFor(
		() => {
			const messages = [interaction.original, ...interaction.followups].filter(
				(message): message is StoredMessage => message !== undefined && message.content !== '',
			);
			return done(messages) && messages;
		},
		{ description: 'every answer', timeoutMs: 20_000 },
	);
}

describe('/export', () => {
	it('attaches the whole session as JSONL named after the thread, marking turns /rewind excluded', async () => {
		const t = await start();
		const { alice, bob } = t.discord.users;
		t.gemini.enqueue(
			{ kind: 'reply', chunks: ['Blue, ', 'like the sky.'] },
			{ kind: 'reply', chunks: ['Línea 1\nline 2'] },
		);
		const { thread } = await mention(t, 'What colour is the sea?');
		await waitForReplies(t, thread.id, 1);
		await t.discord.userSays(thread.id, bob, 'And "quotes"?');
		await waitForReplies(t, thread.id, 2);
		await runCommand(t, { name: 'rewind', channelId: thread.id, user: alice });

		const { interaction, content } = await runCommand(t, { name: 'export', channelId: thread.id, user: bob });
		expect(interaction.ephemeral).toBe(true);
		expect(content).toBe(
			`The conversation in <#${thread.id}>: 4 messages, oldest first.\n` +
				'2 messages that /reset or /rewind took out of my context are marked `"excluded": true`.',
		);
		const [file, ...others] = interaction.original!.attachments;
		expect(others).toEqual([]);
		expect(file?.filename).toBe('what-colour-is-the-sea.jsonl');
		const stored = await t.bot.stores.sessions.listTurns(thread.id, { includeExcluded: true });
		const [time0, time1, time2, time3] = stored.map((turn) => new Date(turn.createdAt).toISOString());
		const botName = stored[1]!.authorName;
		const lines = parseJsonl(file!.data);
		expect(lines).toEqual([
			{
				role: 'user',
				author: 'Alice',
				authorId: alice.id,
				time: time0,
				text: 'What colour is the sea?',
				status: null,
				model: null,
				excluded: false,
				files: [],
				sources: [],
			},
			{
				role: 'model',
				author: botName,
				authorId: t.discord.bot.id,
				time: time1,
				text: 'Blue, like the sky.',
				status: 'complete',
				model: 'gemini-2.5-flash',
				excluded: false,
				files: [],
				sources: [],
			},
			{
				role: 'user',
				author: 'Bob',
				authorId: bob.id,
				time: time2,
				text: 'And "quotes"?',
				status: null,
				model: null,
				excluded: true,
				files: [],
				sources: [],
			},
			{
				role: 'model',
				author: botName,
				authorId: t.discord.bot.id,
				time: time3,
				text: 'Línea 1\nline 2',
				status: 'complete',
				model: 'gemini-2.5-flash',
				excluded: true,
				files: [],
				sources: [],
			},
		]);
		expect(time0).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
		expect(file!.data.toString('utf8').split('\n')).toHaveLength(5);
	});

	it('splits a session larger than the upload limit into parts that join back to the whole', async () => {
		const t = await start();
		t.gemini.enqueue({ kind: 'reply', chunks: ['ok'] });
		const { thread } = await mention(t, 'start');
		await waitForReplies(t, thread.id, 1);
		const store = t.bot.stores.sessions;
		const long = 'x'.repeat(30_000);
		for (let index = 0; index < 300; index += 1) {
			await store.appendUserTurn({
				threadId: thread.id,
				authorId: t.discord.users.alice.id,
				authorName: 'Alice',
				content: `${index} ${long}`,
				discordMessageId: `seed-${index}`,
			});
		}

		const interaction = await t.discord.slash({ name: 'export', channelId: thread.id, user: t.discord.users.alice });
		const [first, second] = await answers(t, interaction, (messages) => messages.length === 2);
		expect(first?.content).toContain(
			'larger than the 8 MiB upload limit here, so it comes in 2 files; join them in order.',
		);
		expect(second).toMatchObject({ content: 'Part 2 of 2' });
		expect(second!.flags & 64).toBe(64);
		const files = [first!, second!].flatMap((message) => message.attachments);
		expect(files.map((file) => file.filename)).toEqual(['start-part-1-of-2.jsonl', 'start-part-2-of-2.jsonl']);
		for (const file of files) expect(file.data.length).toBeLessThanOrEqual(8 * 1024 * 1024);
		const lines = files.flatMap((file) => parseJsonl(file.data)) as { text: string }[];
		expect(lines).toHaveLength(302);
		expect(lines.at(-1)?.text).toBe(`299 ${long}`);
	});

	it('refuses outside a bot thread', async () => {
		const t = await start();
		const { content } = await runCommand(t, {
			name: 'export',
			channelId: t.discord.textChannel.id,
			user: t.discord.users.alice,
		});
		expect(content).toBe('⚠️ This command only works inside a thread where I am chatting.');
	});
});

describe('/model', () => {
	const MODELS = { GEMINI_MODELS: 'gemini-2.5-pro, gemini-2.5-flash-lite' };

	it('is registered for moderators only, offering the allowed models as choices', async () => {
		const t = await start(MODELS);
		const model = t.discord.commands.global.find((command) => (command as { name: string }).name === 'model');
		expect(model).toMatchObject({
			default_member_permissions: '16',
			contexts: [0],
			options: [
				{
					name: 'name',
					type: 3,
					choices: [
						{ name: 'gemini-2.5-flash', value: 'gemini-2.5-flash' },
						{ name: 'gemini-2.5-pro', value: 'gemini-2.5-pro' },
						{ name: 'gemini-2.5-flash-lite', value: 'gemini-2.5-flash-lite' },
						{ name: 'default (GEMINI_MODEL)', value: 'default' },
					],
				},
			],
		});
	});

	it('set in a thread, makes the next replies in every thread of that channel use the chosen model, until reset', async () => {
		const t = await start(MODELS);
		const { moderator, alice } = t.discord.users;
		const general = t.discord.textChannel.id;
		t.gemini.enqueue(
			{ kind: 'reply', chunks: ['one'] },
			{ kind: 'reply', chunks: ['two'] },
			{ kind: 'reply', chunks: ['three'] },
		);
		const { thread } = await mention(t, 'hello');
		await waitForReplies(t, thread.id, 1);
		expect(t.gemini.requests[0]?.model).toBe('gemini-2.5-flash');

		const shown = await runCommand(t, { name: 'model', channelId: thread.id, user: moderator });
		expect(shown.content).toBe(
			`<#${general}> uses the default model, **gemini-2.5-flash**. Its threads use it too.\n` +
				'Allowed models: `gemini-2.5-flash` (default), `gemini-2.5-pro`, `gemini-2.5-flash-lite`.\n' +
				'Choose one with `/model name:<model>`; `/model name:default` goes back to the default.',
		);

		const set = await runCommand(t, {
			name: 'model',
			options: [option.string('name', 'Gemini-2.5-Pro')],
			channelId: thread.id,
			user: moderator,
		});
		expect(set.content).toBe(
			`<#${general}> now uses **gemini-2.5-pro**: the next replies in its threads come from it.`,
		);
		expect(set.interaction.ephemeral).toBe(true);
		await t.discord.userSays(thread.id, alice, 'and now?');
		await waitForReplies(t, thread.id, 2);
		expect(t.gemini.requests[1]?.model).toBe('gemini-2.5-pro');

		const after = await runCommand(t, { name: 'model', channelId: general, user: moderator });
		expect(after.content).toMatch(
			new RegExp(`^<#${general}> uses \\*\\*gemini-2\\.5-pro\\*\\*, chosen by <@${moderator.id}> <t:\\d+:R>\\.`),
		);

		const reset = await runCommand(t, {
			name: 'model',
			options: [option.string('name', 'default')],
			channelId: general,
			user: moderator,
		});
		expect(reset.content).toBe(`<#${general}> and its threads use the default model again: **gemini-2.5-flash**.`);
		await t.discord.userSays(thread.id, alice, 'and again?');
		await waitForReplies(t, thread.id, 3);
		expect(t.gemini.requests[2]?.model).toBe('gemini-2.5-flash');
	});

	it('leaves other channels on their own model', async () => {
		const t = await start(MODELS);
		const random = t.discord.addTextChannel('random');
		await runCommand(t, {
			name: 'model',
			options: [option.string('name', 'gemini-2.5-flash-lite')],
			channelId: random.id,
			user: t.discord.users.moderator,
		});
		t.gemini.enqueue({ kind: 'reply', chunks: ['general'] });
		const { thread } = await mention(t, 'in general');
		await waitForReplies(t, thread.id, 1);
		expect(t.gemini.requests[0]?.model).toBe('gemini-2.5-flash');
	});

	it('refuses models outside the allowlist, and members without Manage Channels', async () => {
		const t = await start(MODELS);
		const general = t.discord.textChannel.id;
		const unknown = await runCommand(t, {
			name: 'model',
			options: [option.string('name', 'gemini-ultra')],
			channelId: general,
			user: t.discord.users.moderator,
		});
		expect(unknown.content).toBe(
			'⚠️ `gemini-ultra` is not an allowed model. Allowed models: `gemini-2.5-flash` (default), `gemini-2.5-pro`, `gemini-2.5-flash-lite`.',
		);
		const member = await runCommand(t, {
			name: 'model',
			options: [option.string('name', 'gemini-2.5-pro')],
			channelId: general,
			user: t.discord.users.alice,
		});
		expect(member.content).toBe('⚠️ You need the Manage Channels permission to use this command.');
		const shown = await runCommand(t, { name: 'model', channelId: general, user: t.discord.users.moderator });
		expect(shown.content).toMatch(/uses the default model/);
	});

	it('says when a channel chose a model that was later taken off the allowlist, and falls back to the default', async () => {
		const t = await start(MODELS);
		const general = t.discord.textChannel.id;
		const { moderator } = t.discord.users;
		await t.bot.stores.settings.setChannelModel({
			channelId: general,
			guildId: t.discord.guild.id,
			model: 'gemini-1.0-pro',
			setBy: moderator.id,
		});
		const { content } = await runCommand(t, { name: 'model', channelId: general, user: moderator });
		expect(content).toMatch(
			new RegExp(
				`^<#${general}> chose \\*\\*gemini-1\\.0-pro\\*\\*, which is no longer allowed, so it uses the default, \\*\\*gemini-2\\.5-flash\\*\\*\\.`,
			),
		);
		t.gemini.enqueue({ kind: 'reply', chunks: ['ok'] });
		const { thread } = await mention(t, 'which model?');
		await waitForReplies(t, thread.id, 1);
		expect(t.gemini.requests[0]?.model).toBe('gemini-2.5-flash');
	});
});

describe('/usage', () => {
	it('totals real replies by channel and by member, for moderators only, without pinging anyone', async () => {
		const t = await start();
		const { alice, bob, moderator } = t.discord.users;
		const general = t.discord.textChannel.id;
		const random = t.discord.addTextChannel('random');
		t.gemini.enqueue(
			{ kind: 'reply', chunks: ['a'], usage: { promptTokenCount: 100, candidatesTokenCount: 20 } },
			{
				kind: 'reply',
				chunks: ['b'],
				usage: { promptTokenCount: 300, candidatesTokenCount: 50, thoughtsTokenCount: 5, cachedContentTokenCount: 64 },
			},
		);
		const first = await mention(t, 'hello from general', alice);
		await waitForReplies(t, first.thread.id, 1);
		const message = await t.discord.userSays(random.id, bob, `<@${t.discord.bot.id}> hello from random`);
		const second = await t.discord.waitFor(() => t.discord.channel(message.id), { description: 'thread in #random' });
		await waitForReplies(t, second.id, 1);

		const refused = await runCommand(t, { name: 'usage', channelId: general, user: alice });
		expect(refused.content).toBe('⚠️ You need the Manage Channels permission to use this command.');

		const { interaction, content } = await runCommand(t, { name: 'usage', channelId: general, user: moderator });
		expect(interaction.ephemeral).toBe(true);
		const period = [
			'475 tokens (400 prompt of which 64 cached, 75 output) in 2 calls',
			'By channel:',
			`- <#${random.id}>: 355 tokens (300 prompt of which 64 cached, 55 output) in 1 call`,
			`- <#${general}>: 120 tokens (100 prompt, 20 output) in 1 call`,
			'By member:',
			`- <@${bob.id}>: 355 tokens (300 prompt of which 64 cached, 55 output) in 1 call`,
			`- <@${alice.id}>: 120 tokens (100 prompt, 20 output) in 1 call`,
			'By model:',
			'- `gemini-2.5-flash`: 475 tokens (400 prompt of which 64 cached, 75 output) in 2 calls',
		].join('\n');
		// A moderator of channels (not of the server) sees the channels they can see, here all of them.
		expect(content).toBe(
			`## Token usage in the channels you can see\n\n**Last 24 hours**: ${period}\n\n**Last 30 days**: ${period}\n\n` +
				'-# Replies, pictures and summaries, as counted by the models; thinking tokens count as output; ' +
				'cached prompt tokens are billed at a discount.',
		);
		expect(t.discord.pingsOf(interaction.original!)).toEqual({ everyone: false, users: [], roles: [] });
	});

	it('separates the last day from the last month, lists the top ten and sums the rest, across messages', async () => {
		const t = await start();
		const guildId = t.discord.guild.id;
		const now = Date.now();
		// At chosen times, which the bot's own store (stamping now) cannot write.
		const record = (at: number, channelId: string, userId: string, totalTokens: number, inGuild = guildId) =>
			t.sql.rows(
				`INSERT INTO usage_records (guild_id, channel_id, user_id, kind, model, prompt_tokens, output_tokens,
					total_tokens, created_at) VALUES (?, ?, ?, 'reply', 'gemini-2.5-flash', ?, 10, ?, ?)`,
				inGuild,
				channelId,
				userId,
				totalTokens - 10,
				totalTokens,
				at,
			);
		await record(now - 60 * 60 * 1_000, '100000000000000001', '200000000000000001', 1_000);
		await record(now - 3 * 24 * 60 * 60 * 1_000, '100000000000000002', '200000000000000002', 5_000);
		await record(now - 40 * 24 * 60 * 60 * 1_000, '100000000000000003', '200000000000000003', 9_000);
		await record(now, '100000000000000001', '200000000000000001', 50);
		for (let index = 10; index < 22; index += 1) {
			await record(now - 1_000, `1000000000000000${index}`, `2000000000000000${index}`, 100 + index);
		}
		await record(now, '1', '2', 7_777, 'another-guild');

		// Channels the fake's guild does not have: only someone who manages the server sees their usage.
		const interaction = await t.discord.slash({
			name: 'usage',
			channelId: t.discord.textChannel.id,
			user: t.discord.users.moderator,
			permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ManageChannels,
		});
		const messages = await answers(
			t,
			interaction,
			(parts) => parts.at(-1)?.content.endsWith('at a discount.') === true,
		);
		expect(messages.length).toBeGreaterThan(1);
		for (const message of messages) {
			expect(message.content.length).toBeLessThanOrEqual(2_000);
		}
		const text = messages.map((message) => message.content).join('\n');
		const [day, month] = text.split('**Last 30 days**');
		expect(day).toContain('**Last 24 hours**: 2,436 tokens');
		expect(day).toContain('in 14 calls');
		expect(day).toContain('- <#100000000000000001>: 1,050 tokens (1,030 prompt, 20 output) in 2 calls');
		expect(day).toContain('- 3 other channels: 333 tokens (303 prompt, 30 output) in 3 calls');
		expect(day).toContain('- 3 other members: 333 tokens');
		expect(day).not.toContain('100000000000000002');
		expect(month).toContain(': 7,436 tokens');
		expect(month).toContain('- <#100000000000000002>: 5,000 tokens (4,990 prompt, 10 output) in 1 call');
		expect(month).not.toContain('100000000000000003');
		expect(text).not.toContain('7,777');
	});
});
