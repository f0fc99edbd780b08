import { describe, expect, it } from 'vitest';
import type { TestBot } from '../support/start-test-bot.js';
import { botContents, mention, pause, waitForReplies } from '../support/conversation.js';
import { useTestBot } from '../support/use-test-bot.js';

const start = useTestBot();

/** A reply streaming slowly in a new thread: the first words are visible, the model keeps writing for 30 s. */
async function streaming(t: TestBot) {
	t.gemini.enqueue({
		kind: 'reply',
		chunks: ['Visible words ', ...Array.from({ length: 300 }, (_, n) => `more ${n} `)],
		chunkDelayMs: 100,
	});
	const { thread } = await mention(t, 'a long one please');
	await t.discord.waitFor(() => t.discord.messagesIn(thread.id).some((message) => message.content.includes('more')), {
		description: 'the reply streaming',
	});
	return thread;
}

/**
 * Requests to a channel's routes that Discord answered after `since`, less the one write that may already have been
 * on its way when Discord said the thread was gone (it left the bot before the gateway event reached it).
 */
function writesAfter(t: TestBot, channelId: string, since: number) {
	const after = t.discord.requests.filter(
		(request) => request.path.startsWith(`/channels/${channelId}`) && request.at >= since,
	);
	expect(after.length).toBeLessThanOrEqual(1);
	return after.filter((request) => request.at > since + IN_FLIGHT_MS);
}
const IN_FLIGHT_MS = 100;

/** How the bot logged the end of the (only) reply: a deleted thread's turns are gone from the database by then. */
async function replyFinished(t: TestBot): Promise<Record<string, unknown>> {
	return t.discord.waitFor(
		() => {
			const line = t.logLines.find((entry) => entry.includes('"msg":"reply finished"'));
			return line === undefined ? undefined : (JSON.parse(line) as Record<string, unknown>);
		},
		{ description: 'the reply finished' },
	);
}

/** Waits until nothing of the thread's conversation is stored, while its session stays marked deleted. */
async function forgotten(t: TestBot, threadId: string): Promise<void> {
	const count = () => t.sql.value('SELECT count(*) FROM messages WHERE thread_id = ?', threadId);
	await t.discord.waitFor(async () => (await count()) === 0 || undefined, { description: 'the conversation deleted' });
	const session = await t.sql.value('SELECT deleted_at FROM sessions WHERE thread_id = ?', threadId);
	expect(session).toEqual(expect.any(Number));
}

describe('a thread that goes away while a reply streams', () => {
	it('deleted: aborts the model call within a second, posts nothing more, and stores the reply as partial', async () => {
		const t = await start();
		const thread = await streaming(t);
		// Waits for the thread's reply in progress; once the thread is gone it must not be answered at all.
		await t.discord.userSays(thread.id, t.discord.users.bob, 'and one more question');
		const deletedAt = Date.now();
		t.discord.deleteThread(thread.id);
		await t.discord.waitFor(() => t.gemini.stats.clientAborts === 1, { description: 'the model call aborted' });
		expect(Date.now() - deletedAt).toBeLessThan(1_000);
		// The reply ends as cut by the deletion; then the thread's stored conversation goes with the thread.
		expect(await replyFinished(t)).toMatchObject({ status: 'partial', errorCode: 'thread-deleted' });
		await forgotten(t, thread.id);
		await pause(500);

		expect(writesAfter(t, thread.id, deletedAt)).toEqual([]);
		expect(t.gemini.requests).toHaveLength(1);
	});

	it('deleted before the first words: the THREAD_DELETE event alone aborts the model call', async () => {
		const t = await start();
		t.gemini.enqueue({ kind: 'reply', chunks: ['never shown'], firstChunkDelayMs: 30_000 });
		const { thread } = await mention(t, 'think hard');
		await t.gemini.waitForRequests(1);
		const deletedAt = Date.now();
		t.discord.deleteThread(thread.id);
		await t.discord.waitFor(() => t.gemini.stats.clientAborts === 1, { description: 'the model call aborted' });
		// Well before the first write (typing after 1 s) could have told the bot.
		expect(Date.now() - deletedAt).toBeLessThan(500);
		expect(await replyFinished(t)).toMatchObject({ status: 'error', errorCode: 'thread-deleted' });
		await forgotten(t, thread.id);
		expect(t.discord.requests.filter((request) => request.path.startsWith(`/channels/${thread.id}`))).toEqual([]);
	});

	it('archived: stops the reply the same way, and the thread works again once a member posts', async () => {
		const t = await start();
		const thread = await streaming(t);
		const archivedAt = Date.now();
		t.discord.archiveThread(thread.id);
		await t.discord.waitFor(() => t.gemini.stats.clientAborts === 1, { description: 'the model call aborted' });
		expect(Date.now() - archivedAt).toBeLessThan(1_000);
		const [, reply] = await waitForReplies(t, thread.id, 1);
		expect(reply).toMatchObject({ status: 'partial', errorCode: 'thread-archived' });
		expect(writesAfter(t, thread.id, archivedAt)).toEqual([]);

		t.gemini.enqueue({ kind: 'reply', chunks: ['Back again.'] });
		await t.discord.userSays(thread.id, t.discord.users.alice, 'hello again');
		await waitForReplies(t, thread.id, 2);
		expect(botContents(t, thread.id).at(-1)).toBe('Back again.');
	});
});

describe('a channel deleted while a reply streams in one of its threads', () => {
	it('stops the reply within a second, as for a deleted thread', async () => {
		const t = await start();
		const thread = await streaming(t);
		const deletedAt = Date.now();
		// A moderator deletes #general; Discord sends CHANNEL_DELETE and no THREAD_DELETE for its threads.
		const response = await fetch(`${t.discord.apiBase}/v10/channels/${t.discord.textChannel.id}`, {
			method: 'DELETE',
			headers: { Authorization: `Bot ${t.discord.token}` },
		});
		expect(response.status).toBe(200);
		await t.discord.waitFor(() => t.gemini.stats.clientAborts === 1, { description: 'the model call aborted' });
		expect(Date.now() - deletedAt).toBeLessThan(1_000);
		expect(await replyFinished(t)).toMatchObject({ status: 'partial', errorCode: 'thread-deleted' });
		// Its threads' conversations go with it.
		await forgotten(t, thread.id);
	});
});

describe('a bot that loses its permission in a thread', () => {
	it('stops within a second of the first refusal, says why once in the parent channel, and never repeats it', async () => {
		const t = await start();
		const thread = await streaming(t);
		const revokedAt = Date.now();
		t.discord.revokeBotPermission(thread.id, 'send');
		await t.discord.waitFor(() => t.gemini.stats.clientAborts === 1, { description: 'the model call aborted' });
		const refusal = t.discord.requests.find((request) => request.status === 403 && request.at >= revokedAt);
		expect(Date.now() - refusal!.at).toBeLessThan(1_000);
		const [, reply] = await waitForReplies(t, thread.id, 1);
		expect(reply).toMatchObject({ status: 'partial', errorCode: 'missing-permission' });

		t.gemini.enqueue({ kind: 'reply', chunks: ['Nobody will see this.'] });
		await t.discord.userSays(thread.id, t.discord.users.alice, 'are you there?');
		await waitForReplies(t, thread.id, 2);
		await pause(300);
		const notices = botContents(t, t.discord.textChannel.id).filter((content) => content.includes('cannot post'));
		expect(notices).toEqual([expect.stringContaining(`<#${thread.id}>`)]);
		expect(notices[0]).toContain('Send Messages in Threads');
	});

	it('keeps a reply no member could see out of later context, stored without a message id', async () => {
		const t = await start();
		const { thread } = await mention(t, 'first');
		await waitForReplies(t, thread.id, 1);
		t.discord.revokeBotPermission(thread.id, 'send');
		t.gemini.enqueue({ kind: 'reply', chunks: ['An answer nobody saw.'] });
		await t.discord.userSays(thread.id, t.discord.users.alice, 'second');
		const turns = await waitForReplies(t, thread.id, 2);
		expect(turns.at(-1)).toMatchObject({ role: 'model', discordMessageId: undefined, errorCode: 'missing-permission' });

		t.discord.restoreBotPermission(thread.id);
		await t.discord.userSays(thread.id, t.discord.users.alice, 'third');
		await waitForReplies(t, thread.id, 3);
		const texts = t.gemini.requests.at(-1)!.contents.map((content) => content.text);
		expect(texts.join('\n')).not.toContain('An answer nobody saw.');
		expect(texts.at(-1)).toBe('Alice: second\n\nAlice: third');
	});
});
