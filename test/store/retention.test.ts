import { describe, expect, it } from 'vitest';
import type { StoredTurn } from '../../src/domain/turn.js';
import { NO_USAGE } from '../../src/domain/token-usage.js';
import type { Harness } from './backends.js';
import { BACKENDS, padThread, rawQuery, useBackend } from './backends.js';

const DAY_MS = 24 * 60 * 60 * 1_000;
const NOW = Date.UTC(2025, 5, 1);
const OLD = NOW - 40 * DAY_MS;
const RECENT = NOW - 2 * DAY_MS;
const CUTOFF = NOW - 30 * DAY_MS;

/** Stores with helpers that store turns at a chosen time. */
function world(h: Harness) {
	let clock = NOW;
	const stores = h.stores(() => clock);
	const { sessions } = stores;
	let messageIds = 0;
	const thread = (threadId: string) =>
		sessions.ensureSession({ threadId, guildId: 'g1', parentChannelId: 'c1', creatorId: 'u1', owned: true });
	const question = async (threadId: string, at: number): Promise<StoredTurn> => {
		clock = at;
		messageIds += 1;
		const turn = await sessions.appendUserTurn({
			threadId,
			authorId: 'u1',
			authorName: 'Alice',
			content: 'question',
			discordMessageId: `m${messageIds}`,
			createdAt: at,
		});
		if (!turn) throw new Error('not stored');
		return turn;
	};
	const author = (turn: StoredTurn) => ({
		threadId: turn.threadId,
		replyToId: turn.id,
		authorId: 'bot',
		authorName: 'gemthread',
		model: 'm',
	});
	const answer = (turn: StoredTurn, at: number) => {
		clock = at;
		return sessions.appendModelTurn(author(turn), {
			content: 'answer',
			replyMessageIds: [`reply-${turn.id}`],
			status: 'complete',
			finishReason: 'STOP',
			errorCode: undefined,
			model: 'm',
			usage: NO_USAGE,
		});
	};
	const exchange = async (threadId: string, at: number) => {
		const asked = await question(threadId, at);
		return { question: asked, answer: await answer(asked, at + 1_000) };
	};
	const streaming = (turn: StoredTurn, at: number) => {
		clock = at;
		return sessions.beginReply(author(turn), { content: 'so far', replyMessageIds: [`reply-${turn.id}`] });
	};
	const file = (name: string, bytes: string) => ({
		filename: name,
		mimeType: 'text/plain',
		kind: 'text' as const,
		data: Buffer.from(bytes),
	});
	const turnIds = async (threadId: string) =>
		(await sessions.listTurns(threadId, { includeExcluded: true })).map((turn) => turn.id);
	return { ...stores, thread, question, answer, exchange, streaming, file, turnIds };
}

describe.each(BACKENDS)('$name: retention batches', (backend) => {
	const h = useBackend(backend);

	it('deletes only the turns older than the cutoff, keeping sessions and the usage ledger', async () => {
		const w = world(h);
		await w.thread('t1');
		await w.thread('t2');
		await w.exchange('t1', OLD);
		const kept = await w.exchange('t1', RECENT);
		await w.exchange('t2', OLD);
		await w.exchange('t2', OLD + DAY_MS);
		await w.usage.record({
			guildId: 'g1',
			channelId: 'c1',
			userId: 'u1',
			kind: 'reply',
			model: 'm',
			usage: { ...NO_USAGE, totalTokens: 15 },
		});

		expect(await w.retention.deleteBatch(CUTOFF, 500)).toEqual({
			messages: 6,
			files: 0,
			blobs: 0,
			summaries: 0,
			selected: 6,
		});
		expect(await w.turnIds('t1')).toEqual([kept.question.id, kept.answer.id]);
		expect(await w.turnIds('t2')).toEqual([]);
		expect(await h.count('sessions')).toBe(2);
		// Catch-up reads active threads after their newest stored message: one with none would be read from the start.
		expect((await w.sessions.activeSessions(NOW - 60 * DAY_MS)).map((session) => session.threadId)).toEqual(['t1']);
		expect(await h.count('usage_records')).toBe(1);
		expect(await w.retention.deleteBatch(CUTOFF, 500)).toEqual({
			messages: 0,
			files: 0,
			blobs: 0,
			summaries: 0,
			selected: 0,
		});
	});

	it('never deletes a reply still being written, nor the question it answers, nor a question answered recently', async () => {
		const w = world(h);
		await w.thread('t1');
		const streamingQuestion = await w.question('t1', OLD);
		const streamingReply = await w.streaming(streamingQuestion, OLD + 1_000);
		const lateQuestion = await w.question('t1', OLD + 2_000);
		const lateAnswer = await w.answer(lateQuestion, RECENT);

		expect(await w.retention.deleteBatch(CUTOFF, 500)).toMatchObject({ messages: 0, selected: 0 });
		expect(await w.turnIds('t1')).toEqual([streamingQuestion.id, streamingReply, lateQuestion.id, lateAnswer.id]);
	});

	it("removes old turns' files and the bytes no other turn uses, keeping bytes a newer turn still has", async () => {
		const w = world(h);
		await w.thread('t1');
		const old = await w.question('t1', OLD);
		await w.attachments.add(old.id, [w.file('only-old.txt', 'old bytes'), w.file('shared.txt', 'shared bytes')]);
		const recent = await w.question('t1', RECENT);
		const [shared] = await w.attachments.add(recent.id, [w.file('again.txt', 'shared bytes')]);

		expect(await w.retention.deleteBatch(CUTOFF, 500)).toEqual({
			messages: 1,
			files: 2,
			blobs: 1,
			summaries: 0,
			selected: 1,
		});
		expect(await h.count('turn_attachments')).toBe(1);
		expect(await h.count('attachment_blobs')).toBe(1);
		expect((await w.attachments.bytes(shared!.sha256))?.toString()).toBe('shared bytes');
		expect(await w.attachments.of(recent.id)).toHaveLength(1);
	});

	it('drops a summary that stands for a deleted turn, and keeps one in a thread that lost no turn', async () => {
		const w = world(h);
		await w.thread('t1');
		const folded = await w.exchange('t1', OLD);
		await w.exchange('t1', RECENT);
		const fold = (threadId: string, throughTurnId: number, summary: string) =>
			w.summaries.replace({ threadId, summary, throughTurnId, turnCount: 2, model: 'm' }, 0, NOW);
		expect(await fold('t1', folded.question.id, 'they talked')).toBe(true);
		await w.thread('t3');
		const kept = await w.exchange('t3', RECENT);
		expect(await fold('t3', kept.question.id, 'kept')).toBe(true);

		expect(await w.retention.deleteBatch(CUTOFF, 500)).toMatchObject({ messages: 2, summaries: 1 });
		expect(await w.summaries.summaryOf('t1')).toBeUndefined();
		expect((await w.summaries.summaryOf('t3'))?.summary).toBe('kept');
	});

	it('deletes oldest first, a batch at a time: fewer selected than the limit means nothing older is left', async () => {
		const w = world(h);
		await w.thread('t1');
		const exchanges = [];
		for (let index = 0; index < 7; index += 1) exchanges.push(await w.exchange('t1', OLD + index * 10_000));
		const kept = await w.exchange('t1', RECENT);

		// Answers count as turns too: each batch of 3 takes two questions and their answers.
		expect(await w.retention.deleteBatch(CUTOFF, 3)).toMatchObject({ selected: 3, messages: 4 });
		expect((await w.turnIds('t1'))[0]).toBe(exchanges[2]!.question.id);
		expect(await w.retention.deleteBatch(CUTOFF, 3)).toMatchObject({ selected: 3, messages: 4 });
		expect(await w.retention.deleteBatch(CUTOFF, 3)).toMatchObject({ selected: 3, messages: 4 });
		expect(await w.retention.deleteBatch(CUTOFF, 3)).toMatchObject({ selected: 2, messages: 2 });
		expect(await w.retention.deleteBatch(CUTOFF, 3)).toMatchObject({ selected: 0 });
		expect(await w.turnIds('t1')).toEqual([kept.question.id, kept.answer.id]);
	});

	it('finds old turns through an index on their time', async () => {
		const query = 'SELECT id FROM messages WHERE created_at < 1 ORDER BY created_at LIMIT 500';
		if (h.name === 'sqlite') {
			const steps = await rawQuery<{ detail: string }>(h, `EXPLAIN QUERY PLAN ${query}`);
			expect(steps.map((step) => step.detail).join('\n')).toMatch(/USING (COVERING )?INDEX messages_by_time/);
		} else {
			await padThread(h, 5_000);
			const steps = await rawQuery<{ 'QUERY PLAN': string }>(h, `EXPLAIN ${query}`);
			expect(steps.map((step) => step['QUERY PLAN']).join('\n')).toMatch(/Index (Only )?Scan using messages_by_time/);
		}
	});
});
