import { describe, expect, it } from 'vitest';
import { botContents, mention, pause, turnsOf, waitForReplies } from '../support/conversation.js';
import { option, runCommand } from '../support/slash.js';
import type { TestBot } from '../support/start-test-bot.js';
import { useTestBot } from '../support/use-test-bot.js';
import { storedAnywhere } from '../support/stored-anywhere.js';

const start = useTestBot();

const SECRET = 'hunter2-correct-horse-battery-staple';

const onDisk = (t: TestBot, text: string) => storedAnywhere(t, text);

/** The JSONL /export gives, one parsed line per entry. */
async function exported(t: TestBot, threadId: string): Promise<{ role: string; content: string }[]> {
	const { interaction } = await runCommand(t, { name: 'export', channelId: threadId, user: t.discord.users.alice });
	const file = interaction.original?.attachments[0];
	if (!file) return [];
	return file.data
		.toString('utf8')
		.trim()
		.split('\n')
		.map((line) => JSON.parse(line) as { role: string; content: string });
}

describe('deleted and edited words are gone', () => {
	it('erases a question deleted after its answer: not stored, not in later context, not exported, not on disk', async () => {
		const t = await start();
		t.gemini.enqueue({ kind: 'reply', chunks: ['Noted.'] });
		const { message, thread } = await mention(t, `my password is ${SECRET}`);
		await waitForReplies(t, thread.id, 1);
		expect(await onDisk(t, SECRET)).toBe(true);

		t.discord.userDeletes(message.id);
		await t.discord.waitFor(async () => !(await onDisk(t, SECRET)) || undefined, {
			description: 'the secret gone from disk',
		});

		expect((await turnsOf(t, thread.id, { includeExcluded: true })).map((turn) => turn.content)).not.toContain(
			`my password is ${SECRET}`,
		);
		await t.discord.userSays(thread.id, t.discord.users.alice, 'what did I tell you?');
		await waitForReplies(t, thread.id, 2);
		expect(JSON.stringify(t.gemini.requests.at(-1)?.contents)).not.toContain(SECRET);
		const lines = await exported(t, thread.id);
		expect(JSON.stringify(lines)).not.toContain(SECRET);
		// The answer stays (members still see it), and the exchange is not answered again after a restart.
		expect(lines.map((line) => line.role)).toEqual(['model', 'user', 'model']);
		await t.restart();
		await t.bot.recovered;
		await pause(300);
		expect(t.gemini.requests).toHaveLength(2);
	});

	it('replaces the stored text when a member edits an answered question, keeping no copy of the old one', async () => {
		const t = await start();
		t.gemini.enqueue({ kind: 'reply', chunks: ['Noted.'] });
		const { message, thread } = await mention(t, `the code is ${SECRET}`);
		await waitForReplies(t, thread.id, 1);
		t.discord.userEdits(message.id, `<@${t.discord.bot.id}> the code is [removed]`);
		await t.discord.waitFor(
			async () => (await turnsOf(t, thread.id))[0]?.content === 'the code is [removed]' || undefined,
			{
				description: 'the edit stored',
			},
		);
		expect(await onDisk(t, SECRET)).toBe(false);
	});

	it('erases a reply a moderator deleted, from context and export, and does not post it again', async () => {
		const t = await start();
		t.gemini.enqueue({ kind: 'reply', chunks: [`Your password ${SECRET} is weak.`] });
		const { thread } = await mention(t, 'is my password good?');
		await waitForReplies(t, thread.id, 1);
		const reply = t.discord.messagesIn(thread.id)[0]!;
		t.discord.userDeletes(reply.id);
		await t.discord.waitFor(async () => !(await onDisk(t, SECRET)) || undefined, { description: 'the reply erased' });

		await t.discord.userSays(thread.id, t.discord.users.alice, 'thanks');
		// The erased reply's row stays (its question counts as answered) but lists as nothing.
		await t.discord.waitFor(() => t.gemini.requests.length === 2 || undefined, { description: 'the next call' });
		await waitForReplies(t, thread.id, 1);
		expect(JSON.stringify(t.gemini.requests.at(-1)?.contents)).not.toContain(SECRET);
		expect(JSON.stringify(await exported(t, thread.id))).not.toContain(SECRET);
		expect(botContents(t, thread.id).join('\n')).not.toContain(SECRET);
	});

	it('stops a reply whose message a moderator deletes while it streams, without posting it again', async () => {
		const t = await start();
		t.gemini.enqueue({
			kind: 'reply',
			chunks: Array.from({ length: 40 }, (_, n) => `${SECRET}${n} `),
			chunkDelayMs: 80,
		});
		const { thread } = await mention(t, 'say the secret many times');
		const first = await t.discord.waitFor(() => t.discord.messagesIn(thread.id)[0], { description: 'the reply' });
		t.discord.userDeletes(first.id);
		const answer = await t.discord.waitFor(
			async () => {
				const [row] = await t.sql.rows<{ status: string | null; deleted_at: unknown }>(
					"SELECT status, error_code, content, deleted_at FROM messages WHERE role = 'model'",
				);
				return row?.status !== 'streaming' && row?.status !== undefined && row.deleted_at !== null && row;
			},
			{ description: 'the reply stored as ended, and erased' },
		);

		expect(answer).toMatchObject({ status: 'partial', error_code: 'answer-deleted', content: '' });
		expect(answer.deleted_at).toEqual(expect.any(Number));
		await t.discord.waitFor(() => t.gemini.stats.clientAborts === 1 || undefined, { description: 'the call aborted' });
		expect(botContents(t, thread.id).join('\n')).not.toContain(SECRET);
		expect(await onDisk(t, SECRET)).toBe(false);
	});

	it('drops the summary that stood for a deleted turn', async () => {
		const t = await start();
		t.gemini.enqueue({ kind: 'reply', chunks: ['I will.'] });
		const { message, thread } = await mention(t, `remember ${SECRET}`);
		const [question] = await waitForReplies(t, thread.id, 1);
		const { summaries } = t.bot.stores;
		await summaries.replace(
			{ threadId: thread.id, summary: `Alice said ${SECRET}`, throughTurnId: question!.id, turnCount: 2, model: 'm' },
			0,
			Date.now(),
		);
		t.discord.userDeletes(message.id);
		await t.discord.waitFor(async () => (await summaries.summaryOf(thread.id)) === undefined || undefined, {
			description: 'the summary dropped',
		});
		expect(await onDisk(t, SECRET)).toBe(false);
	});

	it("deletes a thread's stored conversation and files when Discord deletes the thread", async () => {
		const t = await start();
		const notes = { filename: 'notes.txt', data: Buffer.from(`notes: ${SECRET}`), contentType: 'text/plain' };
		const { thread } = await mention(t, 'read my notes', t.discord.users.alice, [notes]);
		await waitForReplies(t, thread.id, 1);
		t.discord.deleteThread(thread.id);
		const count = (sql: string) => t.sql.value(sql, thread.id);
		await t.discord.waitFor(
			async () => (await count('SELECT count(*) FROM messages WHERE thread_id = ?')) === 0 || undefined,
			{ description: 'the turns deleted' },
		);
		expect(await t.sql.value('SELECT count(*) FROM attachment_blobs')).toBe(0);
		expect(await count('SELECT count(*) FROM sessions WHERE thread_id = ? AND deleted_at IS NOT NULL')).toBe(1);
		expect(await onDisk(t, SECRET)).toBe(false);
	});

	it('keeps a private /imagine out of the thread, and puts a public one in', async () => {
		const t = await start();
		const { thread } = await mention(t, 'hello');
		await waitForReplies(t, thread.id, 1);
		await runCommand(t, {
			name: 'imagine',
			channelId: thread.id,
			user: t.discord.users.alice,
			options: [option.string('prompt', `a private ${SECRET}`)],
		});
		await runCommand(t, {
			name: 'imagine',
			channelId: thread.id,
			user: t.discord.users.alice,
			options: [option.string('prompt', 'a public cat'), option.boolean('public', true)],
		});
		await t.discord.waitFor(
			async () => {
				const turns = await turnsOf(t, thread.id);
				// The prompt, then the picture's turn after it (stored once the picture is posted).
				const prompt = turns.findIndex((turn) => turn.content === 'a public cat');
				return prompt >= 0 && turns.length > prompt + 1;
			},
			{ description: 'the public picture and its prompt stored in the thread' },
		);
		// Stored in order: had the private picture been stored, it would be there before the public one.
		expect((await turnsOf(t, thread.id)).map((turn) => turn.content)).toEqual([
			'hello',
			'Echo: Alice: hello',
			'a public cat',
			expect.stringMatching(/cat/),
		]);
	});
});
