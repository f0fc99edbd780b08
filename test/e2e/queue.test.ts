import { describe, expect, it, vi } from 'vitest';
import { botContents, mention, turnsOf, waitForReplies } from '../support/conversation.js';
import { useTestBot } from '../support/use-test-bot.js';

const start = useTestBot();
const slow = { kind: 'reply', chunks: ['a ', 'slow ', 'answer'], chunkDelayMs: 150 } as const;

describe('the model queue', () => {
	it('shares the model fairly across members, so one member flooding does not hold others up', async () => {
		const t = await start({ GEMINI_CONCURRENCY: '1' });
		t.gemini.respondWith(() => slow);
		// Alice's first question takes the only slot for a while; the rest wait.
		t.gemini.enqueue({ kind: 'reply', chunks: ['a ', 'long ', 'first ', 'answer'], chunkDelayMs: 300 });
		const floods = [];
		for (const n of [1, 2, 3, 4]) floods.push(await mention(t, `alice question ${n}`));
		const bob = await mention(t, 'bob has one question', t.discord.users.bob);
		await Promise.all([...floods, bob].map(({ thread }) => waitForReplies(t, thread.id, 1)));

		const askers = t.gemini.requests.map((request) => request.contents.at(-1)?.text);
		// Alice already had her turn when Bob asked, so his one question goes before her second.
		expect(askers).toEqual([
			'Alice: alice question 1',
			'Bob: bob has one question',
			'Alice: alice question 2',
			'Alice: alice question 3',
			'Alice: alice question 4',
		]);
	});

	it('tells a member with GEMINI_USER_QUEUE_MAX questions waiting to wait for those answers, in one short line', async () => {
		const t = await start({ GEMINI_CONCURRENCY: '1', GEMINI_USER_QUEUE_MAX: '2' });
		t.gemini.respondWith(() => slow);
		const asked = [];
		for (const n of [1, 2, 3]) asked.push(await mention(t, `question ${n}`));
		const refused = await t.discord.userSays(
			t.discord.textChannel.id,
			t.discord.users.alice,
			`<@${t.discord.bot.id}> question 4`,
		);
		const line = await t.discord.waitFor(() =>
			t.discord
				.messagesIn(t.discord.textChannel.id)
				.find((message) => message.messageReference?.messageId === refused.id),
		);
		expect(line.content).toBe(
			'⏳ You already have 2 questions waiting for an answer. Please wait for those before asking more.',
		);
		expect(t.discord.channel(refused.id)).toBeUndefined();
		await Promise.all(asked.map(({ thread }) => waitForReplies(t, thread.id, 1)));
		expect(t.gemini.requests).toHaveLength(3);
	});

	it('moves a call to the next GEMINI_FALLBACK_MODELS model after a 429, and says which model answered', async () => {
		const t = await start({ GEMINI_FALLBACK_MODELS: 'gemini-2.5-flash-lite' });
		t.gemini.respondWith((request) =>
			request.model === 'gemini-2.5-flash'
				? { kind: 'http-error', status: 429, retryDelay: '120s' }
				: { kind: 'reply', chunks: ['Answered anyway.'] },
		);
		const { thread } = await mention(t, 'hello');
		const [, reply] = await waitForReplies(t, thread.id, 1);

		expect(t.gemini.requests.map((request) => request.model)).toEqual(['gemini-2.5-flash', 'gemini-2.5-flash-lite']);
		expect(botContents(t, thread.id)).toEqual([
			'Answered anyway.\n-# Answered by gemini-2.5-flash-lite: gemini-2.5-flash is rate-limited right now.',
		]);
		expect(reply).toMatchObject({ status: 'complete', model: 'gemini-2.5-flash-lite', content: 'Answered anyway.' });

		// The held-off model is skipped until Gemini's retry delay (longer than the bot would wait) has passed.
		await t.discord.userSays(thread.id, t.discord.users.alice, 'and again');
		await waitForReplies(t, thread.id, 2);
		expect(t.gemini.requests.map((request) => request.model).slice(2)).toEqual(['gemini-2.5-flash-lite']);
	});

	it('holds calls beyond GEMINI_TPM tokens per minute, saying so while they wait', async () => {
		const t = await start({ GEMINI_TPM: '1000' });
		const { thread } = await mention(t, `a long question ${'about many things '.repeat(250)}`);
		await waitForReplies(t, thread.id, 1);
		const second = await mention(t, 'a short one');
		const notice = await t.discord.waitFor(() => t.discord.messagesIn(second.thread.id)[0], {
			description: 'the waiting notice',
			timeoutMs: 5_000,
		});
		expect(notice.content).toMatch(/^⏳ Waiting for Gemini's per-minute limit \(about \d+ s\)…$/);
		expect(t.gemini.requests).toHaveLength(1);
		// The notice is the reply's first message: the reply is stored from then on.
		await vi.waitFor(async () => {
			expect((await turnsOf(t, second.thread.id)).map((turn) => turn.status)).toEqual([undefined, 'streaming']);
		});
	});
});
