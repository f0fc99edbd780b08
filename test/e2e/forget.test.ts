import { PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { FakeInteraction, FakeUser, StoredMessage } from '../../src/emulator/discord/index.js';
import { botContents, mention, turnsOf, waitForReplies } from '../support/conversation.js';
import { runCommand } from '../support/slash.js';
import type { TestBot } from '../support/start-test-bot.js';
import { useTestBot } from '../support/use-test-bot.js';

const start = useTestBot();

const NOTES = { filename: 'notes.txt', data: Buffer.from('my secret notes'), contentType: 'text/plain' };

/** A thread Alice started with a file, answered once, with a summary standing for that exchange. */
async function storedThread(t: TestBot) {
	const { thread } = await mention(t, 'please read this', t.discord.users.alice, [NOTES]);
	const [question] = await waitForReplies(t, thread.id, 1);
	await t.bot.stores.summaries.replace(
		{ threadId: thread.id, summary: 'Alice shared notes', throughTurnId: question!.id, turnCount: 2, model: 'm' },
		0,
		Date.now(),
	);
	return thread;
}

const rowsOf = async (t: TestBot, threadId: string) => ({
	messages: await t.sql.value('SELECT count(*) FROM messages WHERE thread_id = ?', threadId),
	files: await t.sql.value('SELECT count(*) FROM turn_attachments'),
	blobs: await t.sql.value('SELECT count(*) FROM attachment_blobs'),
	summaries: await t.sql.value('SELECT count(*) FROM thread_summaries WHERE thread_id = ?', threadId),
	sessions: await t.sql.value('SELECT count(*) FROM sessions WHERE thread_id = ?', threadId),
});

/** Runs /forget and returns the confirmation with its two buttons' custom ids. */
async function askToForget(t: TestBot, threadId: string, user: FakeUser) {
	const { interaction, content } = await runCommand(t, { name: 'forget', channelId: threadId, user });
	const confirmation = interaction.original!;
	const customIds = JSON.stringify(confirmation.components).match(/forget:[a-z]+:[\w-]+/g) ?? [];
	const [deleteId, cancelId] = customIds;
	return { interaction, content, confirmation, deleteId: deleteId!, cancelId: cancelId! };
}

async function press(t: TestBot, message: StoredMessage, customId: string, user: FakeUser): Promise<FakeInteraction> {
	return t.discord.clickButton({ messageId: message.id, channelId: message.channelId, customId, user });
}

const waitForContent = (t: TestBot, message: StoredMessage, expected: string) =>
	t.discord.waitFor(() => message.content === expected && message, { description: expected });

describe('/forget', () => {
	it('asks the thread creator to confirm, then deletes the stored conversation but keeps the thread working', async () => {
		const t = await start();
		const { alice } = t.discord.users;
		const thread = await storedThread(t);
		expect(await rowsOf(t, thread.id)).toEqual({ messages: 2, files: 1, blobs: 1, summaries: 1, sessions: 1 });

		const { interaction, content, confirmation, deleteId, cancelId } = await askToForget(t, thread.id, alice);
		expect(interaction.ephemeral).toBe(true);
		expect(content).toBe(
			'This deletes everything I stored about this thread: 2 messages, 1 file and the summary. ' +
				'The thread itself stays in Discord. This cannot be undone.',
		);
		expect(confirmation.components).toMatchObject([
			{
				type: 1,
				components: [
					{ type: 2, style: 4, label: 'Delete', custom_id: deleteId },
					{ type: 2, style: 2, label: 'Cancel', custom_id: cancelId },
				],
			},
		]);
		expect(deleteId).toMatch(/^forget:delete:/);
		expect(deleteId).not.toMatch(/^stop:/);

		const pressed = await press(t, confirmation, deleteId, alice);
		await waitForContent(t, confirmation, 'Deleted: 2 messages, 1 file and the summary.');
		expect(pressed.callbacks.map((callback) => callback.type)).toEqual([6]);
		expect(confirmation.components).toEqual([]);
		expect(await rowsOf(t, thread.id)).toEqual({ messages: 0, files: 0, blobs: 0, summaries: 0, sessions: 1 });
		// Discord's copy stays: the thread still shows the question and the answer.
		expect(t.discord.messagesIn(thread.id).length).toBeGreaterThan(0);

		await t.discord.userSays(thread.id, alice, 'fresh start');
		await waitForReplies(t, thread.id, 1);
		expect(t.gemini.requests.at(-1)?.contents).toEqual([{ role: 'user', text: 'Alice: fresh start' }]);

		const logged = t.logLines.filter((line) => line.includes('"msg":"forget"'));
		expect(logged.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
			expect.objectContaining({ level: 30, threadId: thread.id, userId: alice.id, messages: 2, files: 1 }),
		]);
		expect(logged.join('')).not.toMatch(/secret|please read|Alice shared/);
	});

	it('stays forgotten after a restart: catch-up does not read the deleted messages back from Discord', async () => {
		const t = await start();
		const { alice } = t.discord.users;
		const thread = await storedThread(t);
		await t.discord.userSays(thread.id, alice, 'my address is 1 Main Street');
		await waitForReplies(t, thread.id, 2);
		const { confirmation, deleteId } = await askToForget(t, thread.id, alice);
		await press(t, confirmation, deleteId, alice);
		await waitForContent(t, confirmation, 'Deleted: 4 messages, 1 file and the summary.');

		await t.restart();
		await t.bot.recovered;
		expect(await rowsOf(t, thread.id)).toMatchObject({ messages: 0, sessions: 1 });
		expect(t.gemini.requests).toHaveLength(2);

		await t.discord.userSays(thread.id, alice, 'still there?');
		await waitForReplies(t, thread.id, 1);
		expect(t.gemini.requests.at(-1)?.contents).toEqual([{ role: 'user', text: 'Alice: still there?' }]);
	});

	it('deletes nothing when cancelled', async () => {
		const t = await start();
		const thread = await storedThread(t);
		const { confirmation, cancelId } = await askToForget(t, thread.id, t.discord.users.alice);

		await press(t, confirmation, cancelId, t.discord.users.alice);
		await waitForContent(t, confirmation, 'Cancelled: nothing was deleted.');
		expect(confirmation.components).toEqual([]);
		expect(await rowsOf(t, thread.id)).toEqual({ messages: 2, files: 1, blobs: 1, summaries: 1, sessions: 1 });
	});

	it('is refused to members who neither started the thread nor can manage threads', async () => {
		const t = await start();
		const thread = await storedThread(t);
		const { content } = await runCommand(t, { name: 'forget', channelId: thread.id, user: t.discord.users.bob });
		expect(content).toBe(
			'⚠️ Only the member who started this thread, or someone who can manage threads, can make me forget it.',
		);

		const threadModerator = t.discord.addUser({
			username: 'threadmod',
			globalName: 'Thread Mod',
			permissions: PermissionFlagsBits.ManageThreads,
		});
		const allowed = await askToForget(t, thread.id, threadModerator);
		expect(allowed.content).toMatch(/^This deletes everything I stored about this thread/);
		expect((await rowsOf(t, thread.id)).messages).toBe(2);
	});

	it('lets only the member who asked press the buttons', async () => {
		const t = await start();
		const thread = await storedThread(t);
		const { confirmation, deleteId } = await askToForget(t, thread.id, t.discord.users.alice);

		const refused = await press(t, confirmation, deleteId, t.discord.users.bob);
		const refusal = await t.discord.waitFor(() => refused.original?.content, { description: 'refusal' });
		expect(refusal).toBe('Only the member who asked can confirm.');
		expect(refused.ephemeral).toBe(true);
		expect((await rowsOf(t, thread.id)).messages).toBe(2);

		await press(t, confirmation, deleteId, t.discord.users.alice);
		await waitForContent(t, confirmation, 'Deleted: 2 messages, 1 file and the summary.');
	});

	it('says a confirmation from before a restart has expired, and deletes nothing', async () => {
		const t = await start();
		const thread = await storedThread(t);
		const { confirmation, deleteId } = await askToForget(t, thread.id, t.discord.users.alice);
		await t.restart();

		const pressed = await press(t, confirmation, deleteId, t.discord.users.alice);
		await waitForContent(t, confirmation, 'This confirmation has expired, and nothing was deleted. Run /forget again.');
		expect(pressed.callbacks.map((callback) => callback.type)).toEqual([7]);
		expect(confirmation.components).toEqual([]);
		expect((await rowsOf(t, thread.id)).messages).toBe(2);
	});

	it('stops a reply being written, skips questions waiting behind it, and deletes them all', async () => {
		const t = await start();
		const { alice } = t.discord.users;
		t.gemini.enqueue({ kind: 'hang-after', chunks: ['Partial ', 'answer'] });
		const { thread } = await mention(t, 'write me a long story');
		await t.discord.waitFor(() => botContents(t, thread.id).some((content) => content.includes('answer')), {
			description: 'the reply streaming',
		});
		await t.discord.userSays(thread.id, alice, 'and a poem after that');
		await t.discord.waitFor(async () => (await turnsOf(t, thread.id)).length === 3, {
			description: 'the waiting question stored',
		});
		const { confirmation, deleteId, content } = await askToForget(t, thread.id, alice);
		expect(content).toMatch(/: 3 messages and 0 files\. /);

		await press(t, confirmation, deleteId, alice);
		await waitForContent(t, confirmation, 'Deleted: 3 messages and 0 files.');
		expect(botContents(t, thread.id)).toEqual(['Partial answer\n\n⚠️ Stopped by Alice.']);
		expect(await turnsOf(t, thread.id, { includeExcluded: true })).toEqual([]);

		await t.discord.userSays(thread.id, alice, 'hello again');
		await waitForReplies(t, thread.id, 1);
		expect(t.gemini.requests.map((request) => request.contents.at(-1)?.text)).toEqual([
			'Alice: write me a long story',
			'Alice: hello again',
		]);
		expect(t.gemini.requests.at(-1)?.contents).toHaveLength(1);
	});

	it('only works in a bot thread', async () => {
		const t = await start();
		const { content } = await runCommand(t, {
			name: 'forget',
			channelId: t.discord.textChannel.id,
			user: t.discord.users.alice,
		});
		expect(content).toBe('⚠️ This command only works inside a thread where I am chatting.');
	});
});

describe('/export', () => {
	it('is logged with the thread, the member and the number of turns, without their content', async () => {
		const t = await start();
		const thread = await storedThread(t);
		await runCommand(t, { name: 'export', channelId: thread.id, user: t.discord.users.bob });
		const logged = t.logLines.filter((line) => line.includes('"msg":"export"'));
		expect(logged.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
			expect.objectContaining({ level: 30, threadId: thread.id, userId: t.discord.users.bob.id, turns: 2 }),
		]);
		expect(logged.join('')).not.toMatch(/secret|please read/);
	});
});
