import { describe, expect, it, vi } from 'vitest';
import { createKeyedLock } from '../../src/concurrency/keyed-lock.js';
import { ReplyTargetGone } from '../../src/reply/reply-target.js';
import { catchUp } from '../../src/recovery/catch-up.js';
import type { MissedMessage, RecoveryPort } from '../../src/recovery/recovery-port.js';
import { silentLogger } from '../support/silent-logger.js';
import { openTestStores } from '../support/test-database.js';

const HOUR = 3_600_000;
// The stores keep the real clock's time: the catch-up reads the same clock.
const NOW = Date.now();

async function world(missed: MissedMessage[] = [], goneThreads: readonly string[] = []) {
	const { sessions: store } = await openTestStores();
	await store.ensureSession({ threadId: '500', guildId: 'g', parentChannelId: 'c', creatorId: 'u1', owned: true });
	const answered: number[] = [];
	const afterIds: string[] = [];
	const port: RecoveryPort = {
		readReply: () => Promise.resolve([]),
		closeReply: () => Promise.resolve(),
		post: () => Promise.resolve(),
		messagesAfter: (threadId, afterId) => {
			if (goneThreads.includes(threadId)) return Promise.reject(new ReplyTargetGone('deleted'));
			afterIds.push(afterId);
			return Promise.resolve(missed.filter((message) => BigInt(message.id) > BigInt(afterId)).slice(0, 100));
		},
		answer: (_session, turn) => {
			answered.push(turn.id);
			return Promise.resolve();
		},
	};
	const run = (windowMs = 24 * HOUR, onGone = vi.fn()) =>
		catchUp(
			{
				store,
				discord: port,
				logger: silentLogger,
				intake: createKeyedLock(),
				windowMs,
				now: () => NOW,
				// Servers named "other-…" run on another process's shards.
				ownsGuild: (guildId) => !guildId.startsWith('other-'),
			},
			onGone,
		);
	return { store, answered, afterIds, run };
}

const message = (id: number, content: string, overrides: Partial<MissedMessage> = {}): MissedMessage => ({
	id: String(id),
	authorId: 'u1',
	authorName: 'Alice',
	fromBot: false,
	content,
	mentionsBot: false,
	createdAt: NOW - HOUR,
	...overrides,
});

describe('catchUp', () => {
	it('stores what members wrote after the last stored message, in order, and answers the latest once', async () => {
		const { store, answered, afterIds, run } = await world([
			message(600, 'one'),
			message(601, 'a bot line', { fromBot: true }),
			message(602, 'two'),
		]);
		await store.appendUserTurn({
			threadId: '500',
			authorId: 'u1',
			authorName: 'Alice',
			content: 'old',
			discordMessageId: '550',
		});
		expect(await run()).toBe(1);
		expect(afterIds[0]).toBe('550');
		expect((await store.listTurns('500')).map((turn) => turn.content)).toEqual(['old', 'one', 'two']);
		expect(answered).toEqual([(await store.latestUserTurn('500'))!.id]);
	});

	it("leaves the threads of another process's shards alone: nothing read, nothing answered", async () => {
		const { store, answered, afterIds, run } = await world([message(600, 'mine')]);
		await store.ensureSession({
			threadId: '800',
			guildId: 'other-guild',
			parentChannelId: 'c',
			creatorId: 'u1',
			owned: true,
		});
		await store.appendUserTurn({
			threadId: '800',
			authorId: 'u1',
			authorName: 'Alice',
			content: 'theirs',
			discordMessageId: '801',
			createdAt: NOW - HOUR,
		});
		expect(await run()).toBe(1);
		expect(afterIds).toEqual(['500']);
		expect(answered).toHaveLength(1);
		expect((await store.listTurns('800')).map((turn) => turn.content)).toEqual(['theirs']);
	});

	it('reads page after page of 100 until a short page', async () => {
		const many = Array.from({ length: 250 }, (_, index) => message(1_000 + index, `m${index}`));
		const { store, afterIds, run } = await world(many);
		await run();
		expect(afterIds).toEqual(['500', '1099', '1199']);
		expect(await store.listTurns('500')).toHaveLength(250);
	});

	it('leaves a thread alone when its latest question already has an answer', async () => {
		const { store, answered, run } = await world();
		const question = (await store.appendUserTurn({
			threadId: '500',
			authorId: 'u1',
			authorName: 'Alice',
			content: 'q',
			discordMessageId: '550',
		}))!;
		await store.appendModelTurn(
			{ threadId: '500', replyToId: question.id, authorId: 'b', authorName: 'bot', model: 'm' },
			{
				content: 'a',
				replyMessageIds: ['551'],
				status: 'complete',
				finishReason: 'STOP',
				errorCode: undefined,
				model: 'm',
				usage: { promptTokens: 1, outputTokens: 1, thoughtsTokens: undefined, totalTokens: 2 },
			},
		);
		expect(await run()).toBe(0);
		expect(answered).toEqual([]);
	});

	it('does not answer a question older than the window', async () => {
		const { answered, store, run } = await world([message(600, 'ancient', { createdAt: NOW - 5 * HOUR })]);
		expect(await run(2 * HOUR)).toBe(0);
		expect((await store.listTurns('500')).map((turn) => turn.content)).toEqual(['ancient']);
		expect(answered).toEqual([]);
	});

	it('reads nothing with a window of 0', async () => {
		const { afterIds, run } = await world([message(600, 'hello')]);
		expect(await run(0)).toBe(0);
		expect(afterIds).toEqual([]);
	});

	it('reports a thread that is gone and goes on with the others', async () => {
		const { store, answered, run } = await world([message(800, 'still here')], ['500']);
		await store.ensureSession({ threadId: '700', guildId: 'g', parentChannelId: 'c', creatorId: 'u1', owned: true });
		const onGone = vi.fn();
		await run(24 * HOUR, onGone);
		expect(onGone).toHaveBeenCalledWith('500', expect.any(ReplyTargetGone));
		expect((await store.listTurns('700')).map((turn) => turn.content)).toEqual(['still here']);
		expect(answered).toHaveLength(1);
	});
});
