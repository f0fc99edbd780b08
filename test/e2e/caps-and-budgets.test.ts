import { describe, expect, it } from 'vitest';
import { queueFullText } from '../../src/access/member-cap.js';
import { botContents, mention, pause, turnsOf, waitForReplies } from '../support/conversation.js';
import { option, runCommand } from '../support/slash.js';
import type { TestBot } from '../support/start-test-bot.js';
import { useTestBot } from '../support/use-test-bot.js';

const start = useTestBot();

/** Alice's answer streams for a while, and one more question of hers waits behind it: her one place is taken. */
async function aliceAtHerCap(t: TestBot) {
	t.gemini.enqueue({ kind: 'reply', chunks: Array.from({ length: 30 }, (_, n) => `${n} `), chunkDelayMs: 100 });
	const { thread } = await mention(t, 'a long answer please');
	await t.discord.waitFor(() => t.discord.messagesIn(thread.id)[0], { description: 'the answer streaming' });
	await t.discord.userSays(thread.id, t.discord.users.alice, 'and then this');
	await t.discord.waitFor(async () => (await turnsOf(t, thread.id)).some((turn) => turn.content === 'and then this'), {
		description: 'her second question stored',
	});
	// Stored, then it takes her place under the cap (a moment later, after one more read).
	await pause(200);
	return thread;
}

const usageRows = (t: TestBot) =>
	t.sql.rows<{
		user_id: string;
		kind: string;
		prompt_tokens: number;
		output_tokens: number;
		total_tokens: number;
	}>('SELECT user_id, kind, prompt_tokens, output_tokens, total_tokens FROM usage_records ORDER BY id');

describe('one per-member cap over every path that calls the model', () => {
	it('refuses /chat, /imagine and /summarize from a member whose waiting calls are at GEMINI_USER_QUEUE_MAX', async () => {
		const t = await start({ GEMINI_USER_QUEUE_MAX: '1', GEMINI_CONCURRENCY: '1' });
		const thread = await aliceAtHerCap(t);
		const { alice, bob } = t.discord.users;
		const general = t.discord.textChannel.id;
		const refusal = `⚠️ ${queueFullText(1)}`;
		const chat = await runCommand(t, {
			name: 'chat',
			channelId: general,
			user: alice,
			options: [option.string('prompt', 'one more')],
		});
		expect(chat.content).toBe(refusal);
		const imagine = await runCommand(t, {
			name: 'imagine',
			channelId: general,
			user: alice,
			options: [option.string('prompt', 'a cat')],
		});
		expect(imagine.content).toBe(refusal);
		const summary = await runCommand(t, { name: 'summarize', channelId: thread.id, user: alice });
		expect(summary.content).toBe(refusal);
		// No thread was opened for the refused /chat, and Bob is not held up by Alice's cap.
		expect(t.discord.threads).toHaveLength(1);
		const bobs = await runCommand(t, {
			name: 'imagine',
			channelId: general,
			user: bob,
			options: [option.string('prompt', 'a dog')],
		});
		expect(bobs.content).not.toBe(refusal);
		await waitForReplies(t, thread.id, 2, 15_000);
		expect(t.gemini.requests.map((request) => request.model)).not.toContain(undefined);
	});

	it('counts the questions it catches up on after a restart, answering or refusing each once', async () => {
		const t = await start({ GEMINI_USER_QUEUE_MAX: '1', GEMINI_CONCURRENCY: '1' });
		const threads: { id: string }[] = [];
		for (const name of ['one', 'two', 'three']) {
			const { thread } = await mention(t, name);
			await waitForReplies(t, thread.id, 1);
			threads.push(thread);
		}
		t.gemini.enqueue({ kind: 'reply', chunks: ['slow ', 'answer'], chunkDelayMs: 500 });
		await t.restart(async () => {
			for (const thread of threads) await t.discord.userSays(thread.id, t.discord.users.alice, 'missed question');
		});
		await t.bot.recovered;
		const refusal = queueFullText(1);
		// Each thread had one answer before the restart; what comes after is the missed question's.
		const outcome = (threadId: string) => {
			const [, after] = botContents(t, threadId);
			if (after === undefined) return undefined;
			return after === refusal ? 'refused' : 'answered';
		};
		const outcomes = await t.discord.waitFor(
			() => {
				const all = threads.map((thread) => outcome(thread.id));
				return all.every((each) => each !== undefined) && all;
			},
			{ timeoutMs: 10_000, description: 'every missed question answered or refused' },
		);
		// Alice's first missed question takes her one place; at least one other waits behind it and is refused.
		expect(outcomes).toContain('refused');
		expect(outcomes).toContain('answered');
		expect(t.gemini.requests).toHaveLength(3 + outcomes.filter((each) => each === 'answered').length);
	});

	it('lets a member run one /summarize at a time', async () => {
		const t = await start();
		const { thread } = await mention(t, 'something to summarize');
		await waitForReplies(t, thread.id, 1);
		t.gemini.enqueue({ kind: 'reply', chunks: ['A slow ', 'summary.'], chunkDelayMs: 800 });
		const first = await t.discord.slash({ name: 'summarize', channelId: thread.id, user: t.discord.users.alice });
		await t.gemini.waitForRequests(2);
		const second = await runCommand(t, { name: 'summarize', channelId: thread.id, user: t.discord.users.alice });
		expect(second.content).toBe('⚠️ You already have a summary being written. Wait for it to finish, then try again.');
		await t.discord.waitFor(() => first.original?.content === 'A slow summary.' || undefined, {
			description: 'the first summary',
		});
		// It has ended once its usage is stored.
		await t.discord.waitFor(async () => (await usageRows(t)).some((row) => row.kind === 'summary'), {
			description: 'the first summary ended',
		});
		const third = await runCommand(t, { name: 'summarize', channelId: thread.id, user: t.discord.users.alice });
		expect(third.content).not.toMatch(/already have a summary/);
	});
});

describe('daily budgets, honestly counted', () => {
	it('reserves a starting call against MEMBER_DAILY_TOKENS, so calls running side by side cannot overshoot it', async () => {
		const t = await start({ MEMBER_DAILY_TOKENS: '1000', GEMINI_CONCURRENCY: '4' });
		t.gemini.enqueue({
			kind: 'reply',
			chunks: Array.from({ length: 10 }, (_, n) => `${n} `),
			chunkDelayMs: 100,
			usage: { promptTokenCount: 700, candidatesTokenCount: 100 },
		});
		const first = await mention(t, 'first thread');
		await t.gemini.waitForRequests(1);
		// Asked while nothing is in the ledger yet: the first call's reservation alone stops the second.
		const second = await t.discord.userSays(
			t.discord.textChannel.id,
			t.discord.users.alice,
			`<@${t.discord.bot.id}> second`,
		);
		const refusal = await t.discord.waitFor(
			() =>
				t.discord
					.messagesIn(t.discord.textChannel.id)
					.find((message) => message.messageReference?.messageId === second.id),
			{ description: 'the refusal' },
		);
		expect(refusal.content).toMatch(/^Sorry, you have used today's 1,000 tokens on this server/);
		await waitForReplies(t, first.thread.id, 1);
		expect(t.gemini.requests).toHaveLength(1);
		expect(t.discord.threads).toHaveLength(1);
		expect(await usageRows(t)).toEqual([
			{ user_id: t.discord.users.alice.id, kind: 'reply', prompt_tokens: 700, output_tokens: 100, total_tokens: 800 },
		]);
	});

	it('refuses the second of two calls asked in the same instant once the first has reserved the budget', async () => {
		const t = await start({ MEMBER_DAILY_TOKENS: '1000', GEMINI_CONCURRENCY: '4' });
		const { alice } = t.discord.users;
		const general = t.discord.textChannel.id;
		// Both pass the door together (nothing reserved yet); each reserves when its call starts.
		const asked = await Promise.all([
			t.discord.userSays(general, alice, `<@${t.discord.bot.id}> one`),
			t.discord.userSays(general, alice, `<@${t.discord.bot.id}> two`),
		]);
		const threads = await Promise.all(
			asked.map((message) => t.discord.waitFor(() => t.discord.channel(message.id), { description: 'a thread' })),
		);
		await Promise.all(threads.map((thread) => waitForReplies(t, thread.id, 1)));
		expect(t.gemini.requests).toHaveLength(1);
		const answers = threads.map((thread) => botContents(t, thread.id)[0] ?? '');
		expect(answers.filter((answer) => answer.startsWith("⚠️ Sorry, you have used today's 1,000 tokens"))).toHaveLength(
			1,
		);
	});

	it('charges a reply stopped before its end for what Gemini reported and the text on screen', async () => {
		const t = await start();
		t.gemini.enqueue({
			kind: 'reply',
			chunks: ['Partial answer ', ...Array.from({ length: 40 }, (_, n) => `word${n} `)],
			chunkDelayMs: 100,
			usage: { promptTokenCount: 1_234, candidatesTokenCount: 999 },
		});
		const { thread } = await mention(t, 'write a lot');
		const reply = await t.discord.waitFor(() => t.discord.messagesIn(thread.id)[0], { description: 'the reply' });
		await pause(300);
		await t.discord.clickButton({
			messageId: reply.id,
			channelId: thread.id,
			customId: `stop:${thread.id}`,
			user: t.discord.users.alice,
		});
		const [, stopped] = await waitForReplies(t, thread.id, 1);
		expect(stopped).toMatchObject({ status: 'partial', errorCode: 'stopped' });
		const [row] = await usageRows(t);
		// Gemini's running total for the prompt, and about a token per 4 characters of what members saw.
		expect(row).toMatchObject({ kind: 'reply', prompt_tokens: 1_234 });
		expect(row!.output_tokens).toBe(Math.ceil(stopped!.content.length / 4));
		expect(row!.output_tokens).toBeGreaterThan(0);
	});
});

describe('the answer-length cap', () => {
	it('sends MAX_OUTPUT_TOKENS (8,192 by default) where /settings sets no max_output_tokens', async () => {
		const t = await start();
		const { thread } = await mention(t, 'hello');
		await waitForReplies(t, thread.id, 1);
		expect(t.gemini.requests[0]?.generationConfig?.maxOutputTokens).toBe(8_192);
		await runCommand(t, {
			name: 'settings',
			channelId: t.discord.textChannel.id,
			user: t.discord.users.moderator,
			options: [option.subcommand('set', [option.integer('max_output_tokens', 500)])],
		});
		await t.discord.userSays(thread.id, t.discord.users.alice, 'again');
		await waitForReplies(t, thread.id, 2);
		expect(t.gemini.requests[1]?.generationConfig?.maxOutputTokens).toBe(500);
	});
});
