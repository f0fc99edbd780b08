import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ANSWER_AGAIN } from '../../src/chat/build-prompt.js';
import { SHUTDOWN_NOTE } from '../../src/index.js';
import { splitMessage } from '../../src/reply/split-message.js';
import { INTERRUPTED_NOTE, NOT_STARTED_NOTE } from '../../src/recovery/recover-interrupted-replies.js';
import { startFakeDiscord } from '../../src/emulator/discord/index.js';
import { startFakeGemini } from '../fakes/fake-gemini/index.js';
import { botContents, mention, pause, turnsOf, waitForReplies } from '../support/conversation.js';
import type { SpawnedBot } from '../support/spawn-bot.js';
import { spawnBot } from '../support/spawn-bot.js';
import { startTestBot, TEST_BACKEND, testEnvironment } from '../support/start-test-bot.js';
import { createTestSchema } from '../support/postgres.js';
import { openTestSql } from '../support/test-sql.js';
import type { TestBot } from '../support/start-test-bot.js';
import { useTestBot } from '../support/use-test-bot.js';

const start = useTestBot();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Fakes, a database file and the bot in a child process that a test can SIGKILL. */
async function crashableBot(env: Record<string, string> = {}) {
	const discord = await startFakeDiscord();
	const gemini = await startFakeGemini();
	const directory = mkdtempSync(join(tmpdir(), 'gemthread-crash-'));
	const schema = TEST_BACKEND === 'postgres' ? await createTestSchema() : undefined;
	const world = { discord, gemini, databasePath: join(directory, 'bot.db'), databaseUrl: schema?.url };
	let child: SpawnedBot | undefined = await spawnBot({ ...testEnvironment(world), ...env });
	let restarted: TestBot | undefined;
	cleanups.push(async () => {
		await child?.kill();
		if (restarted) await restarted.close();
		else await Promise.all([discord.close(), gemini.close()]);
		rmSync(directory, { recursive: true, force: true });
		await schema?.drop();
	});
	return {
		...world,
		/**
		 * Waits until `count` replies are stored as 'streaming' with at least `messages` Discord messages each (stored
		 * once Discord has confirmed their message).
		 */
		async storedStreaming(count: number, messages = 1) {
			const sql = openTestSql(
				schema ? { backend: 'postgres', url: schema.url } : { backend: 'sqlite', path: world.databasePath },
			);
			const arrayLength = schema ? 'jsonb_array_length' : 'json_array_length';
			try {
				await discord.waitFor(async () => {
					const streaming = await sql.value<number>(
						`SELECT count(*) FROM messages WHERE status = 'streaming' AND ${arrayLength}(reply_message_ids) >= ?`,
						messages,
					);
					return (streaming ?? 0) >= count;
				});
			} finally {
				await sql.close();
			}
		},
		async crash() {
			await child?.kill();
			child = undefined;
		},
		/** The bot starts again (in this process) on the same fakes and database, and runs its recovery. */
		async restart(): Promise<TestBot> {
			restarted = await startTestBot(env, world);
			await restarted.bot.recovered;
			return restarted;
		},
	};
}

describe('after a crash (SIGKILL) in the middle of a reply', () => {
	it('closes the cut reply with a note, removes its Stop button and answers the question once, with the cut text in context', async () => {
		const world = await crashableBot();
		const { discord, gemini } = world;
		// Long enough for two Discord messages: the note goes on the last one, the text comes from both.
		const cutText = `The first part ${'of a long answer that goes on. '.repeat(70)}and on`;
		gemini.enqueue({ kind: 'hang-after', chunks: [cutText.slice(0, 1_000), cutText.slice(1_000)], chunkDelayMs: 100 });
		const question = await discord.userSays(
			discord.textChannel.id,
			discord.users.alice,
			`<@${discord.bot.id}> explain`,
		);
		const parts = splitMessage(cutText);
		expect(parts).toHaveLength(2);
		const cut = await discord.waitFor(
			() => discord.messagesIn(question.id).find((message) => message.content === parts[1]),
			{ description: 'the reply streaming into its second message' },
		);
		expect(cut.components).not.toEqual([]);
		await world.storedStreaming(1, 2);
		await world.crash();

		gemini.enqueue({ kind: 'reply', chunks: ['The whole answer.'] });
		const t = await world.restart();
		await waitForReplies(t, question.id, 2);
		await pause(300);

		expect(cut.content).toBe(`${parts[1]}\n\n⚠️ ${INTERRUPTED_NOTE}`);
		expect(cut.components).toEqual([]);
		expect(botContents(t, question.id)).toEqual([parts[0], cut.content, 'The whole answer.']);
		expect(gemini.requests).toHaveLength(2);
		expect(gemini.requests[1]?.contents).toEqual([
			{ role: 'user', text: 'Alice: explain' },
			{ role: 'model', text: cutText },
			{ role: 'user', text: ANSWER_AGAIN },
		]);
		expect(
			(await turnsOf(t, question.id)).map((turn) => [turn.role, turn.status, turn.errorCode, turn.content]),
		).toEqual([
			['user', undefined, undefined, 'explain'],
			['model', 'partial', 'interrupted', cutText],
			['model', 'complete', undefined, 'The whole answer.'],
		]);
	});

	it('answers a question whose reply was still waiting for its turn, and closes the waiting notice', async () => {
		const world = await crashableBot({ GEMINI_CONCURRENCY: '1' });
		const { discord, gemini } = world;
		gemini.enqueue({ kind: 'hang-after', chunks: ['Busy with the first.'] });
		const ask = (text: string) =>
			discord.userSays(discord.textChannel.id, discord.users.alice, `<@${discord.bot.id}> ${text}`);
		const first = await ask('first');
		const second = await ask('second');
		const notice = await discord.waitFor(
			() => discord.messagesIn(second.id).find((message) => message.content.startsWith('⏳ Waiting for my turn')),
			{ description: 'the waiting notice' },
		);
		await world.storedStreaming(2);
		await world.crash();

		gemini.enqueue({ kind: 'reply', chunks: ['Answer one.'] }, { kind: 'reply', chunks: ['Answer two.'] });
		const t = await world.restart();
		await Promise.all([waitForReplies(t, first.id, 2), waitForReplies(t, second.id, 2)]);
		await pause(300);

		expect(notice.content).toBe(`⚠️ ${NOT_STARTED_NOTE}`);
		expect(notice.components).toEqual([]);
		expect(botContents(t, second.id)).toEqual([notice.content, expect.stringMatching(/^Answer (one|two)\.$/)]);
		expect(gemini.requests).toHaveLength(3);
		expect((await turnsOf(t, second.id)).map((turn) => [turn.status, turn.errorCode])).toEqual([
			[undefined, undefined],
			['partial', 'interrupted'],
			['complete', undefined],
		]);
	});
});

describe('stopping (SIGTERM) in the middle of a reply', () => {
	it('ends the reply with a note that the bot is stopping, and answers the question again once it is back', async () => {
		const t = await start();
		t.gemini.enqueue(
			{ kind: 'reply', chunks: Array.from({ length: 100 }, (_, n) => `${n} `), chunkDelayMs: 100 },
			{ kind: 'reply', chunks: ['Answered after the restart.'] },
		);
		const { thread } = await mention(t, 'count to a hundred');
		await t.discord.waitFor(() => t.discord.messagesIn(thread.id)[0]);
		const stoppedAt = Date.now();
		await t.restart();
		expect(Date.now() - stoppedAt).toBeLessThan(5_000);
		await t.bot.recovered;
		await waitForReplies(t, thread.id, 2);

		const [cut, again] = botContents(t, thread.id);
		expect(cut).toMatch(new RegExp(`\\n\\n⚠️ ${SHUTDOWN_NOTE.replace('.', '\\.')}$`));
		expect(again).toBe('Answered after the restart.');
		expect((await turnsOf(t, thread.id))[1]).toMatchObject({ status: 'partial', errorCode: 'shutdown' });
	});
});

describe('stopping with replies still waiting for their turn', () => {
	it('ends the waiting replies at once and gives the running one its grace period', async () => {
		const t = await start({ GEMINI_CONCURRENCY: '1' });
		t.gemini.enqueue({ kind: 'reply', chunks: Array.from({ length: 60 }, (_, n) => `${n} `), chunkDelayMs: 100 });
		const running = await mention(t, 'count');
		const waiting = await mention(t, 'wait for it');
		const notice = await t.discord.waitFor(() => t.discord.messagesIn(waiting.thread.id)[0], {
			description: 'the waiting notice',
		});
		const stoppedAt = Date.now();
		const stopped = t.bot.stop(2_000);
		await t.discord.waitFor(() => notice.content.includes('The bot is stopping') || undefined, { timeoutMs: 1_000 });
		expect(Date.now() - stoppedAt).toBeLessThan(1_000);
		expect(botContents(t, running.thread.id)[0]).not.toContain('stopping');
		await stopped;
		expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(2_000);
		expect(botContents(t, running.thread.id)[0]).toMatch(/The bot is stopping, so this answer ends here\./);
		expect(t.gemini.requests).toHaveLength(1);
	});
});

describe('catching up after a restart', () => {
	it('answers messages posted while the bot was stopped once, with all of them in context', async () => {
		const t = await start();
		t.gemini.enqueue({ kind: 'reply', chunks: ['First answer.'] }, { kind: 'reply', chunks: ['Caught up.'] });
		const { thread } = await mention(t, 'first question');
		await waitForReplies(t, thread.id, 1);
		const missed: string[] = [];
		await t.restart(async () => {
			missed.push((await t.discord.userSays(thread.id, t.discord.users.alice, 'posted while away')).id);
			missed.push((await t.discord.userSays(thread.id, t.discord.users.bob, 'me too')).id);
			await t.discord.userSays(thread.id, t.discord.users.otherBot, 'a bot is no question');
		});
		await t.bot.recovered;
		await waitForReplies(t, thread.id, 2);
		await pause(300);

		expect(t.gemini.requests).toHaveLength(2);
		expect(t.gemini.requests[1]?.contents).toEqual([
			{ role: 'user', text: 'Alice: first question' },
			{ role: 'model', text: 'First answer.' },
			{ role: 'user', text: 'Alice: posted while away\n\nBob: me too' },
		]);
		expect(botContents(t, thread.id)).toEqual(['First answer.', 'Caught up.']);
		expect((await turnsOf(t, thread.id)).map((turn) => turn.discordMessageId).slice(2, 4)).toEqual(missed);
	});

	it('does not answer a replayed MESSAGE_CREATE twice after a restart', async () => {
		const t = await start();
		const { thread } = await mention(t, 'hello');
		await waitForReplies(t, thread.id, 1);
		const posted = await t.discord.userSays(thread.id, t.discord.users.alice, 'again?');
		await waitForReplies(t, thread.id, 2);
		const event = t.discord.gatewayLog.find(
			(entry) =>
				entry.direction === 'out' &&
				JSON.stringify(entry.payload).includes('"t":"MESSAGE_CREATE"') &&
				JSON.stringify(entry.payload).includes(`"id":"${posted.id}"`),
		);
		await t.restart();
		await t.bot.recovered;
		t.discord.dispatch('MESSAGE_CREATE', (event?.payload as { d: unknown }).d);
		await pause(500);
		expect(t.gemini.requests).toHaveLength(2);
		expect(botContents(t, thread.id)).toHaveLength(2);
	});

	it('leaves answered threads alone, and catches up on nothing with CATCH_UP_WINDOW=0', async () => {
		const t = await start({ CATCH_UP_WINDOW: '0' });
		const { thread } = await mention(t, 'hello');
		await waitForReplies(t, thread.id, 1);
		await t.restart(() => t.discord.userSays(thread.id, t.discord.users.alice, 'posted while away'));
		await t.bot.recovered;
		await pause(300);
		expect(t.gemini.requests).toHaveLength(1);
		expect(await turnsOf(t, thread.id)).toHaveLength(2);
	});

	it("in a member's thread catches up only on messages that mention the bot", async () => {
		const t = await start();
		const memberThread = await t.discord.createThread({
			parentId: t.discord.textChannel.id,
			name: 'hangout',
			owner: t.discord.users.bob,
		});
		await t.discord.userSays(memberThread.id, t.discord.users.bob, `<@${t.discord.bot.id}> hi bot`);
		await waitForReplies(t, memberThread.id, 1);
		let mentionId = '';
		await t.restart(async () => {
			await t.discord.userSays(memberThread.id, t.discord.users.bob, 'chatting with alice');
			mentionId = (await t.discord.userSays(memberThread.id, t.discord.users.alice, `<@${t.discord.bot.id}> and now?`))
				.id;
		});
		await t.bot.recovered;
		await waitForReplies(t, memberThread.id, 2);
		expect(t.gemini.requests[1]?.contents.at(-1)).toEqual({ role: 'user', text: 'Alice: and now?' });
		const replies = t.discord.messagesIn(memberThread.id).filter((message) => message.author.id === t.discord.bot.id);
		expect(replies.at(-1)?.messageReference?.messageId).toBe(mentionId);
	});
});
