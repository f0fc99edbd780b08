import { describe, expect, it, vi } from 'vitest';
import { dayStart } from '../../src/access/daily-budget.js';
import { botContents, mention, turnsOf, waitForReplies } from '../support/conversation.js';
import { option, runCommand } from '../support/slash.js';
import type { TestBot } from '../support/start-test-bot.js';
import { useTestBot } from '../support/use-test-bot.js';

const start = useTestBot();

const SWITCHED_OFF = 'Moderators have switched me off here, so I will not answer.';

const settingsSet = (t: TestBot, channelId: string, options: unknown[]) =>
	runCommand(t, {
		name: 'settings',
		channelId,
		user: t.discord.users.moderator,
		options: [option.subcommand('set', options)],
	});
/** Waits until the bot has posted `text` in the channel; returns how many times it did. */
const waitForLine = (t: TestBot, channelId: string, text: string) =>
	vi.waitFor(
		() => {
			const count = botContents(t, channelId).filter((content) => content === text).length;
			if (count === 0) throw new Error(`waiting for "${text}"`);
			return count;
		},
		{ timeout: 5_000, interval: 20 },
	);
const linesIn = (t: TestBot, channelId: string, text: string) =>
	botContents(t, channelId).filter((content) => content === text).length;

describe('/settings enabled', () => {
	it('switches the bot off for members in a channel and its threads, telling each member once; moderators still get answers', async () => {
		const t = await start();
		const general = t.discord.textChannel.id;
		const { alice, moderator } = t.discord.users;
		const { thread } = await mention(t, 'before it was switched off');
		await waitForReplies(t, thread.id, 1);
		expect((await settingsSet(t, general, [option.boolean('enabled', false)])).content).toContain(
			'- Answering members here (`enabled`): off',
		);

		const refused = await t.discord.userSays(general, alice, `<@${t.discord.bot.id}> are you there?`);
		await waitForLine(t, general, SWITCHED_OFF);
		await t.discord.userSays(thread.id, alice, 'and in the thread?');
		await waitForLine(t, thread.id, SWITCHED_OFF);
		// Commands that call the model say it every time (only she sees it).
		for (const name of ['chat', 'imagine', 'summarize']) {
			const options = name === 'summarize' ? [] : [option.string('prompt', 'a cat')];
			const { content } = await runCommand(t, { name, channelId: general, user: alice, options });
			expect(content).toBe(`⚠️ ${SWITCHED_OFF}`);
		}
		// Told once: her next messages get no second notice, and nothing reaches Gemini.
		await t.discord.userSays(general, alice, `<@${t.discord.bot.id}> hello??`);
		await t.discord.userSays(thread.id, alice, 'hello??');
		const moderatorAsks = await mention(t, 'moderators are still answered', moderator);
		await waitForReplies(t, moderatorAsks.thread.id, 1);
		await t.discord.userSays(thread.id, moderator, 'me too, in the thread');
		await waitForReplies(t, thread.id, 2);
		expect(linesIn(t, general, SWITCHED_OFF)).toBe(1);
		expect(linesIn(t, thread.id, SWITCHED_OFF)).toBe(1);
		expect(t.discord.channel(refused.id)).toBeUndefined();
		expect(t.gemini.requests).toHaveLength(3);

		await settingsSet(t, general, [option.boolean('enabled', true)]);
		const back = await mention(t, 'back on?');
		await waitForReplies(t, back.thread.id, 1);
	});
});

describe('/settings role', () => {
	it('lets only members with the role start a conversation; anyone may continue one; @everyone lifts it', async () => {
		const t = await start();
		const general = t.discord.textChannel.id;
		const { alice } = t.discord.users;
		const carol = t.discord.addUser({ username: 'carol', permissions: 0n });
		const role = await vi.waitFor(() => {
			const found = t.bot.client.guilds.cache.get(t.discord.guild.id)?.roles.cache.find((r) => r.name === 'carol-role');
			if (!found) throw new Error('waiting for the role');
			return found;
		});
		const { content } = await settingsSet(t, general, [{ name: 'role', type: 8, value: role.id }]);
		expect(content).toContain(`- Who may start a conversation (\`role\`): members with <@&${role.id}>`);

		await t.discord.userSays(general, alice, `<@${t.discord.bot.id}> may I?`);
		const roleLine = `Only members with the <@&${role.id}> role can start a conversation with me here.`;
		await waitForLine(t, general, roleLine);
		const carols = await mention(t, 'I have the role', carol);
		await waitForReplies(t, carols.thread.id, 1);
		await t.discord.userSays(carols.thread.id, alice, 'joining the conversation');
		await waitForReplies(t, carols.thread.id, 2);
		// The notice mentions the role but pings nobody (checked for every write when the test bot closes).

		await settingsSet(t, general, [{ name: 'role', type: 8, value: t.discord.guild.id }]);
		const open = await mention(t, 'now anyone may');
		await waitForReplies(t, open.thread.id, 1);
	});
});

describe('daily token budgets', () => {
	it('stops a member at MEMBER_DAILY_TOKENS with one polite note saying when it resets; others go on', async () => {
		const t = await start({ MEMBER_DAILY_TOKENS: '100' });
		const { alice, bob } = t.discord.users;
		const { thread } = await mention(t, 'first question of the day');
		await waitForReplies(t, thread.id, 1);
		const resetsAt = (dayStart(Date.now()) + 86_400_000) / 1_000;
		const note = `Sorry, you have used today's 100 tokens on this server, so I will not answer you until the limit resets <t:${resetsAt}:R> (<t:${resetsAt}:t>).`;

		await t.discord.userSays(thread.id, alice, 'second question');
		await waitForLine(t, thread.id, note);
		await t.discord.userSays(thread.id, alice, 'third question');
		await t.discord.userSays(thread.id, bob, 'bob asks');
		await waitForReplies(t, thread.id, 2);
		expect(linesIn(t, thread.id, note)).toBe(1);
		expect(t.gemini.requests).toHaveLength(2);
		// Her messages stay in the conversation: bob's answer had them as context.
		expect(t.gemini.requests[1]!.contents.map((content) => content.text).join('\n')).toContain('third question');

		const chat = await runCommand(t, {
			name: 'chat',
			channelId: t.discord.textChannel.id,
			user: alice,
			options: [option.string('prompt', 'a new thread then?')],
		});
		expect(chat.content).toBe(`⚠️ ${note}`);
		expect(t.gemini.requests).toHaveLength(2);
	});

	it('holds for questions caught up after a restart too', async () => {
		const t = await start({ MEMBER_DAILY_TOKENS: '100' });
		const { thread } = await mention(t, 'before the restart');
		await waitForReplies(t, thread.id, 1);
		await t.restart(() => t.discord.userSays(thread.id, t.discord.users.alice, 'asked while the bot was away'));
		await t.bot.recovered;
		await vi.waitFor(
			() => {
				if (!botContents(t, thread.id).some((content) => content.startsWith("Sorry, you have used today's 100 tokens")))
					throw new Error('waiting for the note');
			},
			{ timeout: 5_000 },
		);
		expect((await turnsOf(t, thread.id)).at(-1)?.content).toBe('asked while the bot was away');
		expect(t.gemini.requests).toHaveLength(1);
	});

	it("stops everyone at GUILD_DAILY_TOKENS, counting every member's calls", async () => {
		const t = await start({ GUILD_DAILY_TOKENS: '100' });
		const { thread } = await mention(t, 'alice spends the budget');
		await waitForReplies(t, thread.id, 1);
		const asked = await t.discord.userSays(
			t.discord.textChannel.id,
			t.discord.users.bob,
			`<@${t.discord.bot.id}> my turn?`,
		);
		const line = await vi.waitFor(
			() => {
				const found = botContents(t, t.discord.textChannel.id).find((content) =>
					content.includes('this server has used'),
				);
				if (!found) throw new Error('waiting for the note');
				return found;
			},
			{ timeout: 5_000 },
		);
		expect(line).toMatch(/^Sorry, this server has used today's 100 tokens, so I will not answer anyone until/);
		expect(t.discord.channel(asked.id)).toBeUndefined();
		expect(t.gemini.requests).toHaveLength(1);
	});
});
