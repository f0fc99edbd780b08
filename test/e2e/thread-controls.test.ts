import { PermissionFlagsBits } from 'discord.js';
import { describe, expect, it, vi } from 'vitest';
import { botContents, mention, turnsOf, waitForReplies } from '../support/conversation.js';
import { option, runCommand } from '../support/slash.js';
import type { TestBot } from '../support/start-test-bot.js';
import { useTestBot } from '../support/use-test-bot.js';

const start = useTestBot();

/** A thread whose reply is stuck mid-stream after showing some text. */
async function streamingThread(t: TestBot) {
	t.gemini.enqueue({ kind: 'hang-after', chunks: ['Partial ', 'answer'] });
	const { thread } = await mention(t, 'write me a long story');
	const reply = await t.discord.waitFor(
		() =>
			t.discord
				.messagesIn(thread.id)
				.find((message) => message.author.id === t.discord.bot.id && message.content.includes('answer')),
		{ description: 'the reply streaming' },
	);
	return { thread, reply };
}

const stopButtonIds = (components: unknown[]) => JSON.stringify(components).match(/"custom_id":"(stop:\d+)"/g) ?? [];

describe('/stop and the Stop button', () => {
	it('/stop aborts the model call, keeps the text with a note, and stores the turn as partial', async () => {
		const t = await start();
		const { thread, reply } = await streamingThread(t);
		expect(stopButtonIds(reply.components)).toEqual([`"custom_id":"stop:${thread.id}"`]);

		const { content } = await runCommand(t, { name: 'stop', channelId: thread.id, user: t.discord.users.alice });
		expect(content).toBe('Stopped the reply.');
		const turns = await waitForReplies(t, thread.id, 1);
		expect(botContents(t, thread.id)).toEqual(['Partial answer\n\n⚠️ Stopped by Alice.']);
		expect(turns[1]).toMatchObject({ status: 'partial', errorCode: 'stopped', content: 'Partial answer' });
		expect(t.discord.messagesIn(thread.id).at(-1)?.components).toEqual([]);
		await vi.waitFor(() => {
			expect(t.gemini.stats.clientAborts).toBe(1);
		});
	});

	it('the Stop button stops the reply for a participant and is refused for others', async () => {
		const t = await start();
		const { thread, reply } = await streamingThread(t);
		const customId = `stop:${thread.id}`;

		const refused = await t.discord.clickButton({
			messageId: reply.id,
			channelId: thread.id,
			customId,
			user: t.discord.users.bob,
		});
		const refusal = await t.discord.waitFor(() => refused.original?.content, { description: 'refusal' });
		expect(refusal).toMatch(/^Only people taking part in this thread/);
		expect(refused.ephemeral).toBe(true);
		// Still being written: the reply is stored as 'streaming' from its first message on.
		expect((await turnsOf(t, thread.id)).map((turn) => turn.status)).toEqual([undefined, 'streaming']);

		const pressed = await t.discord.clickButton({
			messageId: reply.id,
			channelId: thread.id,
			customId,
			user: t.discord.users.alice,
		});
		await waitForReplies(t, thread.id, 1);
		expect(pressed.callbacks.map((callback) => callback.type)).toEqual([6]);
		expect(botContents(t, thread.id)).toEqual(['Partial answer\n\n⚠️ Stopped by Alice.']);
	});

	it('/stop says so when nothing is being written, and the next message still works', async () => {
		const t = await start();
		const { thread } = await mention(t, 'hello');
		await waitForReplies(t, thread.id, 1);
		const { content } = await runCommand(t, { name: 'stop', channelId: thread.id, user: t.discord.users.alice });
		expect(content).toBe('Nothing is being written in this thread right now.');
	});

	it('only works in a bot thread', async () => {
		const t = await start();
		const { content } = await runCommand(t, {
			name: 'stop',
			channelId: t.discord.textChannel.id,
			user: t.discord.users.alice,
		});
		expect(content).toBe('⚠️ This command only works inside a thread where I am chatting.');
	});
});

describe('/reset and /rewind', () => {
	async function threeExchanges(t: TestBot) {
		const { thread } = await mention(t, 'one');
		await waitForReplies(t, thread.id, 1);
		await t.discord.userSays(thread.id, t.discord.users.alice, 'two');
		await waitForReplies(t, thread.id, 2);
		await t.discord.userSays(thread.id, t.discord.users.alice, 'three');
		await waitForReplies(t, thread.id, 3);
		return thread;
	}

	it('/reset makes the next message start from an empty context, keeping the old turns stored', async () => {
		const t = await start();
		const thread = await threeExchanges(t);
		const { content, interaction } = await runCommand(t, {
			name: 'reset',
			channelId: thread.id,
			user: t.discord.users.alice,
		});
		expect(content).toMatch(/^Context cleared by Alice/);
		expect(interaction.ephemeral).toBe(false);

		await t.discord.userSays(thread.id, t.discord.users.alice, 'fresh');
		await waitForReplies(t, thread.id, 4);
		expect(t.gemini.requests.at(-1)?.contents).toEqual([{ role: 'user', text: 'Alice: fresh' }]);
		expect(await turnsOf(t, thread.id)).toHaveLength(2);
	});

	it('/rewind drops the last exchanges from the context', async () => {
		const t = await start();
		const thread = await threeExchanges(t);
		const { content } = await runCommand(t, {
			name: 'rewind',
			options: [option.integer('turns', 2)],
			channelId: thread.id,
			user: t.discord.users.alice,
		});
		expect(content).toBe('Alice rewound 2 exchanges: I no longer use them as context.');

		await t.discord.userSays(thread.id, t.discord.users.alice, 'four');
		await waitForReplies(t, thread.id, 4);
		expect(t.gemini.requests.at(-1)?.contents.map((content) => content.text)).toEqual([
			'Alice: one',
			'Echo: Alice: one',
			'Alice: four',
		]);
	});

	it("belong to the thread's creator and those who manage threads, not to others who wrote in it", async () => {
		const t = await start();
		const thread = await threeExchanges(t);
		const { bob, moderator } = t.discord.users;
		// Bob took part, but the thread is Alice's: he may not undo her conversation.
		await t.discord.userSays(thread.id, bob, 'me too');
		await waitForReplies(t, thread.id, 4);
		for (const name of ['reset', 'rewind']) {
			const { content } = await runCommand(t, { name, channelId: thread.id, user: bob });
			expect(content).toBe(
				`⚠️ Only the member who started this thread, or someone who can manage threads, can ${name} it.`,
			);
		}
		expect(await turnsOf(t, thread.id)).toHaveLength(8);
		const { content } = await runCommand(t, {
			name: 'rewind',
			channelId: thread.id,
			user: moderator,
			permissions: PermissionFlagsBits.ManageThreads,
		});
		expect(content).toBe('Moderator rewound 1 exchange: I no longer use it as context.');
	});
});

describe('interaction error boundary', () => {
	it('answers an unknown command with a short error, acknowledged within 3 seconds', async () => {
		const t = await start();
		const { interaction, content } = await runCommand(t, {
			name: 'no-such-command',
			channelId: t.discord.textChannel.id,
			user: t.discord.users.alice,
		});
		expect(content).toMatch(/^⚠️ I do not know this command/);
		expect(interaction.acknowledgedAt! - interaction.dispatchedAt).toBeLessThan(3_000);
	});

	it('answers a command that fails unexpectedly with a short error and no stack trace', async () => {
		const t = await start();
		t.discord.failNext(
			{ method: 'POST', path: /\/channels\/\d+\/threads$/ },
			{ status: 403, code: 50013, message: 'Missing Permissions' },
		);
		const { interaction, content } = await runCommand(t, {
			name: 'chat',
			options: [option.string('prompt', 'hello')],
			channelId: t.discord.textChannel.id,
			user: t.discord.users.alice,
		});
		expect(content).toBe('⚠️ Sorry, something went wrong while running this command. Please try again.');
		expect(interaction.acknowledgedAt! - interaction.dispatchedAt).toBeLessThan(3_000);
		expect(t.logLines.some((line) => line.includes('interaction failed'))).toBe(true);
	});
});
