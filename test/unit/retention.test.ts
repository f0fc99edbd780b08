import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NO_USAGE } from '../../src/domain/token-usage.js';
import type { StoredTurn } from '../../src/domain/turn.js';
import { createLogger } from '../../src/log/logger.js';
import { createRetentionJob } from '../../src/privacy/retention-job.js';
import type { SqliteDatabase } from '../../src/store/sqlite/open-database.js';
import { silentLogger } from '../support/silent-logger.js';
import { openTestDatabase, openTestStores } from '../support/test-database.js';

const DAY_MS = 24 * 60 * 60 * 1_000;
const NOW = Date.UTC(2025, 5, 1);
const OLD = NOW - 40 * DAY_MS;
const RECENT = NOW - 2 * DAY_MS;

/** Stores over a fresh database, with helpers that store turns at a chosen time (the stores read the clock). */
async function world() {
	const stores = await openTestStores();
	const { sessions, attachments, summaries } = stores;
	const setClock = (at: number) => {
		vi.setSystemTime(at);
	};
	setClock(NOW);
	let messageIds = 0;
	const thread = (threadId: string) =>
		sessions.ensureSession({ threadId, guildId: 'g1', parentChannelId: 'c1', creatorId: 'u1', owned: true });
	const question = async (threadId: string, at: number, content = 'question'): Promise<StoredTurn> => {
		setClock(at);
		messageIds += 1;
		const turn = await sessions.appendUserTurn({
			threadId,
			authorId: 'u1',
			authorName: 'Alice',
			content,
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
		model: 'gemini-2.5-flash',
	});
	const answer = (turn: StoredTurn, at: number): Promise<StoredTurn> => {
		setClock(at);
		return sessions.appendModelTurn(author(turn), {
			content: 'answer',
			replyMessageIds: [`reply-${turn.id}`],
			status: 'complete',
			finishReason: 'STOP',
			errorCode: undefined,
			model: 'gemini-2.5-flash',
			usage: NO_USAGE,
		});
	};
	const exchange = async (threadId: string, at: number) => {
		const asked = await question(threadId, at);
		return { question: asked, answer: await answer(asked, at + 1_000) };
	};
	const streaming = (turn: StoredTurn, at: number): Promise<number> => {
		setClock(at);
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
	const job = (options: { batchSize?: number; logger?: typeof silentLogger; intervalMs?: number } = {}) =>
		createRetentionJob({
			store: stores.retention,
			retentionDays: 30,
			logger: silentLogger,
			now: () => NOW,
			...options,
		});
	return {
		stores,
		sessions,
		attachments,
		summaries,
		setClock,
		thread,
		question,
		answer,
		exchange,
		streaming,
		file,
		turnIds,
		job,
	};
}

function logLines(): { logger: typeof silentLogger; lines: Record<string, unknown>[] } {
	const lines: Record<string, unknown>[] = [];
	const sink = new Writable({
		write(chunk: Buffer, _encoding, callback) {
			lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
			callback();
		},
	});
	return { logger: createLogger('info', sink), lines };
}

function queryPlan(db: SqliteDatabase, sql: string): string {
	return db
		.prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
		.all()
		.map((row) => row.detail)
		.join('\n');
}

describe('retention job', () => {
	beforeEach(() => {
		// Only Date: the stores stamp rows with the time the test chooses, and timers and the event loop run as usual.
		vi.useFakeTimers({ toFake: ['Date'] });
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	it('deletes only the turns older than the cutoff, keeping sessions and the usage ledger', async () => {
		const w = await world();
		await w.thread('t1');
		await w.thread('t2');
		await w.exchange('t1', OLD);
		const keptInT1 = await w.exchange('t1', RECENT);
		await w.exchange('t2', OLD);
		await w.exchange('t2', OLD + DAY_MS);
		w.setClock(OLD);
		await w.stores.usage.record({
			guildId: 'g1',
			channelId: 'c1',
			userId: 'u1',
			kind: 'reply',
			model: 'gemini-2.5-flash',
			usage: { promptTokens: 10, outputTokens: 5, thoughtsTokens: 0, totalTokens: 15 },
		});
		const { logger, lines } = logLines();

		const counts = await w.job({ logger }).runOnce();

		expect(counts).toEqual({ messages: 6, files: 0, blobs: 0, summaries: 0 });
		expect(await w.turnIds('t1')).toEqual([keptInT1.question.id, keptInT1.answer.id]);
		expect(await w.turnIds('t2')).toEqual([]);
		expect(await w.sessions.getSession('t2')).toBeDefined();
		expect((await w.sessions.sessionsIn('c1')).map((session) => session.threadId).sort()).toEqual(['t1', 't2']);
		// Catch-up reads active threads after their newest stored message: one with none would be read from the start.
		expect((await w.sessions.activeSessions(NOW - 60 * DAY_MS)).map((session) => session.threadId)).toEqual(['t1']);
		expect((await w.stores.usage.report('g1', 0)).total).toMatchObject({ calls: 1, totalTokens: 15 });
		expect(lines.filter((line) => line.msg === 'retention deleted old turns')).toEqual([
			expect.objectContaining({ level: 30, messages: 6, files: 0, blobs: 0, summaries: 0, retentionDays: 30 }),
		]);
	});

	it('logs nothing and returns zero counts when nothing is old enough', async () => {
		const w = await world();
		await w.thread('t1');
		await w.exchange('t1', RECENT);
		const { logger, lines } = logLines();
		expect(await w.job({ logger }).runOnce()).toEqual({ messages: 0, files: 0, blobs: 0, summaries: 0 });
		expect(lines).toEqual([]);
		expect(await w.turnIds('t1')).toHaveLength(2);
	});

	it('never deletes a reply still being written, nor the question it answers, nor a question answered recently', async () => {
		const w = await world();
		await w.thread('t1');
		const streamingQuestion = await w.question('t1', OLD);
		const streamingReply = await w.streaming(streamingQuestion, OLD + 1_000);
		const lateQuestion = await w.question('t1', OLD + 2_000);
		const lateAnswer = await w.answer(lateQuestion, RECENT);

		expect(await w.job().runOnce()).toMatchObject({ messages: 0 });
		expect(await w.turnIds('t1')).toEqual([streamingQuestion.id, streamingReply, lateQuestion.id, lateAnswer.id]);
	});

	it("removes old turns' files and the bytes no other turn uses, keeping bytes a newer turn still has", async () => {
		const w = await world();
		await w.thread('t1');
		const old = await w.question('t1', OLD);
		const [onlyOld] = await w.attachments.add(old.id, [
			w.file('only-old.txt', 'old bytes'),
			w.file('shared.txt', 'shared bytes'),
		]);
		const recent = await w.question('t1', RECENT);
		const [shared] = await w.attachments.add(recent.id, [w.file('again.txt', 'shared bytes')]);

		const counts = await w.job().runOnce();

		expect(counts).toEqual({ messages: 1, files: 2, blobs: 1, summaries: 0 });
		// The old turn's two files are gone, and so are the bytes only it had; the newer turn keeps its file.
		expect(await w.attachments.of(old.id)).toEqual([]);
		expect(await w.attachments.bytes(onlyOld!.sha256)).toBeUndefined();
		expect((await w.attachments.bytes(shared!.sha256))?.toString()).toBe('shared bytes');
		expect(await w.attachments.of(recent.id)).toHaveLength(1);
		// Nothing was left behind for a later prune to find.
		expect(await w.attachments.prune()).toBe(0);
	});

	it('drops a summary that stands for a deleted turn, and keeps one in a thread that lost no turn', async () => {
		const w = await world();
		await w.thread('t1');
		const folded = await w.exchange('t1', OLD);
		await w.exchange('t1', RECENT);
		await w.summaries.replace(
			{ threadId: 't1', summary: 'they talked', throughTurnId: folded.question.id, turnCount: 2, model: 'm' },
			0,
			NOW,
		);
		const t3 = await w.thread('t3');
		const kept = await w.exchange(t3.threadId, RECENT);
		await w.summaries.replace(
			{ threadId: 't3', summary: 'kept', throughTurnId: kept.question.id, turnCount: 2, model: 'm' },
			0,
			NOW,
		);

		const counts = await w.job().runOnce();

		expect(counts).toMatchObject({ messages: 2, summaries: 1 });
		expect(await w.summaries.summaryOf('t1')).toBeUndefined();
		expect((await w.summaries.summaryOf('t3'))?.summary).toBe('kept');
	});

	it('deletes in batches, yielding to the event loop between them, until nothing old is left', async () => {
		const w = await world();
		await w.thread('t1');
		for (let index = 0; index < 1_100; index += 1) await w.exchange('t1', OLD + index * 10_000);
		const kept = await w.exchange('t1', RECENT);
		let yielded = false;

		const run = w.job().runOnce();
		setImmediate(() => {
			yielded = true;
		});
		const counts = await run;

		expect(yielded).toBe(true);
		expect(counts).toEqual({ messages: 2_200, files: 0, blobs: 0, summaries: 0 });
		expect(await w.turnIds('t1')).toEqual([kept.question.id, kept.answer.id]);
	});

	it('runs at once when started, then every interval, and stop() waits for a run under way', async () => {
		const w = await world();
		await w.thread('t1');
		await w.exchange('t1', OLD);
		const job = w.job({ intervalMs: 20 });
		job.start();
		await vi.waitFor(async () => {
			expect(await w.turnIds('t1')).toEqual([]);
		});
		await w.exchange('t1', OLD);
		await vi.waitFor(async () => {
			expect(await w.turnIds('t1')).toEqual([]);
		});
		await job.stop();
		await w.exchange('t1', OLD);
		await new Promise((resolve) => setTimeout(resolve, 60));
		expect(await w.turnIds('t1')).toHaveLength(2);
	});

	it('finds old turns through an index on their time', () => {
		const db = openTestDatabase();
		expect(queryPlan(db, 'SELECT id FROM messages WHERE created_at < 1 ORDER BY created_at LIMIT 500')).toMatch(
			/USING (COVERING )?INDEX messages_by_time/,
		);
		db.close();
	});
});
