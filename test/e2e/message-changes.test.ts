import { describe, expect, it } from 'vitest';
import { QUESTION_DELETED } from '../../src/chat/message-changes.js';
import { botContents, mention, pause, turnsOf, waitForReplies } from '../support/conversation.js';
import { useTestBot } from '../support/use-test-bot.js';

const start = useTestBot();

describe("members' edits and deletions", () => {
	it('uses the edited text of a question still waiting for its answer', async () => {
		const t = await start();
		t.gemini.enqueue({ kind: 'reply', chunks: ['one ', 'moment'], chunkDelayMs: 400 });
		const { thread } = await mention(t, 'first');
		const waiting = await t.discord.userSays(thread.id, t.discord.users.alice, 'what is 2+3?');
		t.discord.userEdits(waiting.id, 'what is 2+2?');
		await waitForReplies(t, thread.id, 2);

		expect(t.gemini.requests[1]?.contents.at(-1)).toEqual({ role: 'user', text: 'Alice: what is 2+2?' });
		expect((await turnsOf(t, thread.id))[2]?.content).toBe('what is 2+2?');
	});

	it('replaces the stored text when a member edits a question after its answer', async () => {
		const t = await start();
		const { message, thread } = await mention(t, 'original question');
		await waitForReplies(t, thread.id, 1);
		t.discord.userEdits(message.id, `<@${t.discord.bot.id}> rewritten afterwards`);
		await t.discord.waitFor(
			async () => (await turnsOf(t, thread.id))[0]?.content === 'rewritten afterwards' || undefined,
			{
				description: 'the edit stored',
			},
		);
		await t.discord.userSays(thread.id, t.discord.users.alice, 'and?');
		await waitForReplies(t, thread.id, 2);
		expect(t.gemini.requests[1]?.contents[0]?.text).toBe('Alice: rewritten afterwards');
	});

	it('drops a question deleted before its answer started and never answers it', async () => {
		const t = await start();
		t.gemini.enqueue({ kind: 'reply', chunks: ['one ', 'moment'], chunkDelayMs: 400 });
		const { thread } = await mention(t, 'first');
		const doomed = await t.discord.userSays(thread.id, t.discord.users.alice, 'never mind this');
		t.discord.userDeletes(doomed.id);
		await waitForReplies(t, thread.id, 1);
		await pause(500);

		expect(t.gemini.requests).toHaveLength(1);
		expect((await turnsOf(t, thread.id, { includeExcluded: true })).map((turn) => turn.content)).toEqual([
			'first',
			'one moment',
		]);
	});

	it('withdraws a reply waiting in the queue when its question is deleted, removing the waiting notice', async () => {
		const t = await start({ GEMINI_CONCURRENCY: '1' });
		t.gemini.enqueue({ kind: 'reply', chunks: Array.from({ length: 30 }, (_, n) => `${n} `), chunkDelayMs: 100 });
		const busy = await mention(t, 'keeps the only slot busy');
		const { message, thread } = await mention(t, 'waits its turn');
		const notice = await t.discord.waitFor(() => t.discord.messagesIn(thread.id)[0], { description: 'notice' });
		expect(notice.content).toMatch(/^⏳ Waiting for my turn/);
		t.discord.userDeletes(message.id);
		await t.discord.waitFor(() => notice.deleted || undefined, { description: 'notice deleted' });
		await waitForReplies(t, busy.thread.id, 1);
		await pause(300);

		expect(t.gemini.requests).toHaveLength(1);
		expect(await turnsOf(t, thread.id, { includeExcluded: true })).toEqual([]);
	});

	it('stops an answer being written when its question is deleted', async () => {
		const t = await start();
		t.gemini.enqueue({ kind: 'reply', chunks: Array.from({ length: 50 }, (_, n) => `${n} `), chunkDelayMs: 100 });
		const { message, thread } = await mention(t, 'count to fifty');
		await t.discord.waitFor(() => t.discord.messagesIn(thread.id)[0]);
		t.discord.userDeletes(message.id);
		// The question is erased at once (it no longer lists), and its answer is stopped.
		const [reply, ...rest] = await waitForReplies(t, thread.id, 1);

		expect(rest).toEqual([]);
		expect(reply).toMatchObject({ role: 'model', status: 'partial', errorCode: 'stopped' });
		expect(botContents(t, thread.id)[0]).toMatch(new RegExp(`\\n\\n⚠️ ${QUESTION_DELETED}$`));
		expect(t.gemini.stats.clientAborts).toBe(1);
	});

	it('follows an edit of an unanswered message posted before a restart, which is no longer in the cache', async () => {
		const t = await start({ GEMINI_USER_QUEUE_MAX: '1', GEMINI_CONCURRENCY: '1', CATCH_UP_WINDOW: '0' });
		t.gemini.enqueue({ kind: 'reply', chunks: ['one ', 'moment'], chunkDelayMs: 300 });
		const { thread } = await mention(t, 'first');
		// Once the first answer is being written, one more question may wait; a third is stored, not answered.
		await t.discord.waitFor(() => t.discord.messagesIn(thread.id)[0]);
		await t.discord.userSays(thread.id, t.discord.users.alice, 'second, answered later');
		const third = await t.discord.userSays(thread.id, t.discord.users.alice, 'thrid, with a typo');
		await t.discord.waitFor(
			() => t.discord.messagesIn(thread.id).find((message) => message.messageReference?.messageId === third.id),
			{ description: 'the queue-full line' },
		);
		await waitForReplies(t, thread.id, 2);
		await t.restart();
		t.discord.userEdits(third.id, 'third, fixed');
		await t.discord.waitFor(async () => (await turnsOf(t, thread.id)).find((turn) => turn.content === 'third, fixed'), {
			description: 'the edit stored',
		});
		await t.discord.userSays(thread.id, t.discord.users.alice, 'fourth');
		await waitForReplies(t, thread.id, 3);
		expect(t.gemini.requests.at(-1)?.contents.at(-1)?.text).toBe('Alice: third, fixed\n\nAlice: fourth');
	});
});
