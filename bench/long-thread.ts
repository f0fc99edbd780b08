import type { InsertObject, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { NewUserTurn } from '../src/domain/turn.js';
import type { Schema } from '../src/store/kysely/schema.js';
import type { BenchStores } from './bench-stores.js';

export const EXCHANGES = 2_500;
export const QUESTION_CHARS = [150, 250] as const;
export const ANSWER_CHARS = [1_200, 1_800] as const;
export const THREAD_ID = '1300000000000000001';
const MODEL = 'gemini-2.5-flash';
/** Exchanges per INSERT: 400 rows of 24 values, within both backends' limits on bound parameters. */
const BATCH = 200;
const WORDS = ['context', 'thread', 'reply', 'gemini', 'token', 'budget', 'turn', 'answer', 'question', 'member'];

/** `length` characters of prose, different for every `seed`. */
function prose(length: number, seed: number): string {
	let text = '';
	for (let word = seed; text.length < length; word += 7) text += `${WORDS[word % WORDS.length] ?? 'x'} `;
	return text.slice(0, length).trimEnd();
}

const spread = (range: readonly [number, number], index: number): number =>
	range[0] + ((index * 7_919) % (range[1] - range[0] + 1));

/** Exchange `index`: a member's question, posted a minute after the one before … */
const question = (index: number, start: number): NewUserTurn => ({
	threadId: THREAD_ID,
	authorId: String(10 + (index % 4)),
	authorName: `member${index % 4}`,
	content: prose(spread(QUESTION_CHARS, index), index),
	discordMessageId: `q${index}`,
	createdAt: start + index * 60_000,
});

/** … and the text of the bot's complete answer to it, posted in one Discord message. */
const answerText = (index: number): string => prose(spread(ANSWER_CHARS, index), index + 3);

type MessageRow = Selectable<Schema['messages']>;

/** Exchange `index` as copies of the rows the store wrote for exchange 0, with this exchange's ids, texts and times. */
function exchangeRows(
	first: { question: MessageRow; answer: MessageRow },
	index: number,
	start: number,
): InsertObject<Schema, 'messages'>[] {
	const turn = question(index, start);
	const id = first.question.id + 2 * index;
	return [
		{
			...first.question,
			id,
			author_id: turn.authorId,
			author_name: turn.authorName,
			content: turn.content,
			discord_message_id: turn.discordMessageId,
			created_at: turn.createdAt ?? start,
		},
		{
			...first.answer,
			id: id + 1,
			reply_to_id: id,
			content: answerText(index),
			discord_message_id: `a${index}`,
			reply_message_ids: JSON.stringify([`a${index}`]),
			created_at: (turn.createdAt ?? start) + 20_000,
		},
	];
}

/** The new question's id, and what was done to the database after the bulk insert (for a setup line), if anything. */
export type FilledThread = { readonly questionId: number; readonly after?: string | undefined };

/**
 * One thread of 2,500 answered questions in fresh stores, then the new question the reply is for. The first exchange
 * and the new question go through the session store; the other exchanges are copies of the first one's rows (so
 * every column is what the store writes), inserted in bulk in one transaction.
 */
export async function fillThread(bench: BenchStores): Promise<FilledThread> {
	const store = bench.stores.sessions;
	const start = Date.now() - 30 * 86_400_000;
	await store.ensureSession({ threadId: THREAD_ID, guildId: '1', parentChannelId: '2', creatorId: '3', owned: true });
	const asked = await store.appendUserTurn(question(0, start));
	if (!asked) throw new Error('question not stored');
	const answered = await store.appendModelTurn(
		{ threadId: THREAD_ID, replyToId: asked.id, authorId: '9', authorName: 'gemthread', model: MODEL },
		{
			content: answerText(0),
			replyMessageIds: ['a0'],
			status: 'complete',
			finishReason: 'STOP',
			errorCode: undefined,
			model: MODEL,
			usage: { promptTokens: 1, outputTokens: 1, thoughtsTokens: undefined, totalTokens: 2 },
		},
	);
	const [first, second] = await bench.db
		.selectFrom('messages')
		.selectAll()
		.where('id', 'in', [asked.id, answered.id])
		.orderBy('id')
		.execute();
	if (!first || !second) throw new Error('first exchange not stored');
	await bench.db.transaction().execute(async (trx) => {
		for (let from = 1; from < EXCHANGES; from += BATCH) {
			const indexes = Array.from({ length: Math.min(BATCH, EXCHANGES - from) }, (_, offset) => from + offset);
			const rows = indexes.flatMap((index) => exchangeRows({ question: first, answer: second }, index, start));
			await trx.insertInto('messages').values(rows).execute();
		}
	});
	let after: string | undefined;
	if (bench.backend === 'postgres') {
		// Ids were given: the identity continues after them.
		await sql`select setval(pg_get_serial_sequence('messages', 'id'), (select max(id) from messages))`.execute(
			bench.db,
		);
		await sql`analyze messages`.execute(bench.db);
		after = 'ANALYZE messages, as autovacuum soon would';
	}
	const next = await store.appendUserTurn({ ...question(EXCHANGES, start), content: prose(200, 1) });
	if (!next) throw new Error('new question not stored');
	return { questionId: next.id, after };
}
