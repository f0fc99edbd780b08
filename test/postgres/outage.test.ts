import { describe, expect, it, vi } from 'vitest';
import { useBotBehindProxy } from '../support/bot-behind-proxy.js';
import { botContents, mention, pause, turnsOf, waitForReplies } from '../support/conversation.js';
import { POSTGRES_TESTS_RUN } from '../support/postgres.js';

const botBehindProxy = useBotBehindProxy();

describe.runIf(POSTGRES_TESTS_RUN)('PostgreSQL going away under a running bot', () => {
	it('fails visibly and briefly, answers 503, then answers what was asked meanwhile once, when it is back', async () => {
		const { t, proxy, health } = await botBehindProxy();
		t.gemini.enqueue({ kind: 'reply', chunks: ['First answer.'] });
		const { thread } = await mention(t, 'first question');
		await waitForReplies(t, thread.id, 1);
		expect(await health()).toMatchObject({ status: 200 });

		await proxy.cut();
		await t.discord.userSays(thread.id, t.discord.users.alice, 'asked while the database is away');
		await t.discord.waitFor(() => botContents(t, thread.id).length === 2 || undefined, {
			description: 'the short failure line in the thread',
		});
		expect(botContents(t, thread.id)[1]).toBe(
			"⚠️ I can't reach my database right now, so I can't answer yet. I'll answer here once it's back.",
		);
		const elsewhere = await t.discord.userSays(
			t.discord.textChannel.id,
			t.discord.users.bob,
			`<@${t.discord.bot.id}> a new question`,
		);
		await t.discord.waitFor(() => t.discord.messagesIn(t.discord.textChannel.id).length === 3 || undefined, {
			description: 'the short failure line in the channel',
		});
		expect(t.discord.messagesIn(t.discord.textChannel.id).at(-1)).toMatchObject({
			content: "⚠️ I can't reach my database right now, so I can't answer. Please ask again in a few minutes.",
			messageReference: { messageId: elsewhere.id },
		});
		await vi.waitFor(async () => {
			expect(await health()).toMatchObject({ status: 503 });
		}, 5_000);
		expect(t.gemini.requests).toHaveLength(1);

		t.gemini.enqueue({ kind: 'reply', chunks: ['Caught up.'] });
		await proxy.restore();
		const turns = await waitForReplies(t, thread.id, 2, 15_000);
		expect(turns.map((turn) => [turn.role, turn.content])).toEqual([
			['user', 'first question'],
			['model', 'First answer.'],
			['user', 'asked while the database is away'],
			['model', 'Caught up.'],
		]);
		expect(t.gemini.requests[1]?.contents.at(-1)?.text).toContain('asked while the database is away');
		expect(await health()).toMatchObject({ status: 200 });
		expect(t.discord.threads).toHaveLength(1);
		expect(t.gemini.requests).toHaveLength(2);
	});

	it('stores a reply that was streaming when the database went away once it is back, and does not answer it again', async () => {
		const { t, proxy } = await botBehindProxy();
		t.gemini.enqueue({ kind: 'reply', chunks: Array.from({ length: 20 }, (_, n) => `${n} `), chunkDelayMs: 100 });
		const { thread } = await mention(t, 'a slow answer please');
		await t.discord.waitFor(() => t.discord.messagesIn(thread.id)[0], { description: 'the reply streaming' });
		await proxy.cut();
		await t.discord.waitFor(() => botContents(t, thread.id)[0]?.trim().endsWith(' 18 19'), {
			description: 'the whole reply shown while the database is away',
			timeoutMs: 10_000,
		});
		// The reply ended while the database is away: storing it failed at least once, and is tried again.
		await t.discord.waitFor(() => t.logLines.some((line) => line.includes('"msg":"reply finished"')), {
			description: 'the reply finished',
		});
		await pause(1_000);
		await proxy.restore();
		const [, reply] = await waitForReplies(t, thread.id, 1, 20_000);
		expect(reply).toMatchObject({ role: 'model', status: 'complete' });
		expect(reply?.content).toBe(Array.from({ length: 20 }, (_, n) => `${n} `).join(''));
		// The catch-up after the outage found it answered.
		await t.discord.waitFor(() => t.logLines.some((line) => line.includes('caught up after the database outage')), {
			description: 'the catch-up after the outage',
			timeoutMs: 10_000,
		});
		expect(t.gemini.requests).toHaveLength(1);
		expect(await turnsOf(t, thread.id)).toHaveLength(2);
	});
});
