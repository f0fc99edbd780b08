import { describe, expect, it } from 'vitest';
import type { ContextTurn } from '../../src/domain/turn.js';
import { FIRST_PAGE_ROWS } from '../../src/store/kysely/context-reader.js';
import type { Harness } from './backends.js';
import { BACKENDS, padThread, rawQuery, useBackend } from './backends.js';
import { answer, ask, contents, conversation, SESSION } from './fixtures.js';

async function all(turns: AsyncIterable<ContextTurn>): Promise<ContextTurn[]> {
	const read: ContextTurn[] = [];
	for await (const turn of turns) read.push(turn);
	return read;
}

const isContextPage = (query: { sql: string }) => /from "messages"/.test(query.sql) && /limit/i.test(query.sql);

/** A thread of `exchanges` questions, each answered twice (a cut reply, then a whole one): three rows each. */
async function longThread(h: Harness, exchanges: number) {
	const { sessions } = h.stores();
	await sessions.ensureSession(SESSION);
	for (let n = 0; n < exchanges; n += 1) {
		const question = await ask(sessions, `q${n}`, `question ${n}`);
		await answer(sessions, question.id, `cut ${n}`, { status: 'partial', errorCode: 'interrupted' });
		await answer(sessions, question.id, `answer ${n}`, { replyMessageIds: [`whole-${n}`] });
	}
	return { sessions, last: await ask(sessions, 'q-new', 'the new question') };
}

describe.each(BACKENDS)('$name: context read newest first', (backend) => {
	const h = useBackend(backend);

	it('yields each answer right after its question, newest first, leaving excluded turns out', async () => {
		const { sessions } = h.stores();
		await conversation(sessions, 3);
		await sessions.rewind('t1', 1);
		const last = (await sessions.latestUserTurn('t1'))!;
		const turns = await all(sessions.contextNewestFirst('t1', last.id));
		expect(contents(turns)).toEqual(['answer 1', 'question 1', 'answer 0', 'question 0']);
		expect(turns[0]).toEqual({
			id: turns[0]!.id,
			exchangeId: last.id,
			role: 'model',
			authorName: 'gemthread',
			content: 'answer 1',
			discordMessageId: `reply-${last.id}`,
			attachmentCount: 0,
		});
		expect(contents(await all(sessions.contextNewestFirst('t1', last.id, last.id - 1)))).toEqual([
			'answer 1',
			'question 1',
		]);
	});

	it('reads page after page in exactly the order of listTurns, across pages that split an exchange', async () => {
		const { sessions, last } = await longThread(h, 60);
		const turns = await all(sessions.contextNewestFirst('t1', last.id));
		const listed = await sessions.listTurns('t1', { throughTurnId: last.id });
		expect(turns.map((turn) => turn.id)).toEqual(listed.map((turn) => turn.id).reverse());
		expect(h.queries.filter(isContextPage).length).toBeGreaterThan(1);
		const folded = listed[30]!.exchangeId;
		const after = await all(sessions.contextNewestFirst('t1', last.id, folded));
		expect(after.map((turn) => turn.id)).toEqual(
			(await sessions.listTurns('t1', { afterTurnId: folded, throughTurnId: last.id }))
				.map((turn) => turn.id)
				.reverse(),
		);
	});

	it('reads no further page when the caller stops within the first', async () => {
		const { sessions, last } = await longThread(h, 60);
		h.queries.length = 0;
		let read = 0;
		for await (const turn of sessions.contextNewestFirst('t1', last.id)) {
			read += 1;
			if (turn.role === 'user' && read > 10) break;
		}
		expect(read).toBeLessThan(FIRST_PAGE_ROWS);
		expect(h.queries.filter(isContextPage)).toHaveLength(1);
	});

	it('reads through the messages_in_context index in its order: no sort, first page or next', async () => {
		const { sessions, last } = await longThread(h, 60);
		// The planner weighs the index against reading the table: give it a table worth not reading.
		if (h.name === 'postgres') await padThread(h, 5_000);
		h.queries.length = 0;
		await all(sessions.contextNewestFirst('t1', last.id));
		const pages = h.queries.filter(isContextPage);
		expect(pages.length).toBeGreaterThan(1);
		for (const page of pages.slice(0, 2)) expect(await plan(h, page)).toEqual({ index: true, sort: false });
	});
});

async function plan(h: Harness, query: { sql: string; parameters: readonly unknown[] }) {
	if (h.name === 'sqlite') {
		const steps = await rawQuery<{ detail: string }>(h, `EXPLAIN QUERY PLAN ${query.sql}`, query.parameters);
		const details = steps.map((step) => step.detail).join('\n');
		return { index: details.includes('USING INDEX messages_in_context'), sort: details.includes('TEMP B-TREE') };
	}
	// JSON comes back as its text from the stores' pool.
	const [row] = await rawQuery<{ 'QUERY PLAN': string }>(h, `EXPLAIN (FORMAT JSON) ${query.sql}`, query.parameters);
	const text = JSON.stringify(JSON.parse(row?.['QUERY PLAN'] ?? 'null'));
	return { index: text.includes('"Index Name":"messages_in_context"'), sort: text.includes('"Node Type":"Sort"') };
}
