import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { ThreadSummaryStore } from '../ports/thread-summary-store.js';
import { EXCHANGE } from './dialect.js';
import type { Schema } from './schema.js';
import type { StoreOptions } from './store-options.js';

/** The rolling summary of each long thread's oldest turns, over Kysely. */
export function createKyselyThreadSummaryStore(
	db: Kysely<Schema>,
	options: Pick<StoreOptions, 'dialect' | 'now'>,
): ThreadSummaryStore {
	const select = (from: Kysely<Schema>, threadId: string) =>
		from.selectFrom('thread_summaries').selectAll().where('thread_id', '=', threadId).executeTakeFirst();
	const found = async (query: { executeTakeFirst(): Promise<unknown> }) =>
		(await query.executeTakeFirst()) !== undefined;
	return {
		async summaryOf(threadId) {
			const row = await select(db, threadId);
			return (
				row && {
					threadId: row.thread_id,
					summary: row.summary,
					throughTurnId: row.through_turn_id,
					turnCount: row.turn_count,
					model: row.model,
					createdAt: row.created_at,
				}
			);
		},
		replace: (summary, previous, readAt) =>
			db.transaction().execute(async (trx) => {
				await options.dialect.lockThreads(trx, [summary.threadId]);
				const current = (await select(trx, summary.threadId))?.through_turn_id ?? 0;
				if (current !== previous) return false;
				// /forget and retention delete turns outright: a fold that read them must not save them back.
				const turn = trx
					.selectFrom('messages')
					.select('id')
					.where('id', '=', summary.throughTurnId)
					.where('thread_id', '=', summary.threadId);
				if (!(await found(turn))) return false;
				// Turns excluded before the fold read the thread were not in it (a /reset before the first summary, say);
				// a turn deleted (which excludes it) or edited since then was read with words that are no longer there.
				const changed = trx
					.selectFrom('messages')
					.select('id')
					.where('thread_id', '=', summary.threadId)
					.where((eb) => eb.or([eb('excluded_at', '>=', readAt), eb('edited_at', '>=', readAt)]))
					.where(EXCHANGE, '>', previous)
					.where(EXCHANGE, '<=', summary.throughTurnId)
					.limit(1);
				if (await found(changed)) return false;
				await trx
					.insertInto('thread_summaries')
					.values({
						thread_id: summary.threadId,
						summary: summary.summary,
						through_turn_id: summary.throughTurnId,
						turn_count: summary.turnCount,
						model: summary.model,
						created_at: options.now(),
					})
					.onConflict((conflict) =>
						conflict.column('thread_id').doUpdateSet((eb) => ({
							summary: eb.ref('excluded.summary'),
							through_turn_id: eb.ref('excluded.through_turn_id'),
							turn_count: eb.ref('excluded.turn_count'),
							model: eb.ref('excluded.model'),
							created_at: eb.ref('excluded.created_at'),
						})),
					)
					.execute();
				return true;
			}),
		async drop(threadId) {
			const result = await db.deleteFrom('thread_summaries').where('thread_id', '=', threadId).executeTakeFirst();
			return result.numDeletedRows > 0n;
		},
		// Excluded turns older than the summary's own turns were excluded by an earlier /reset (which dropped the
		// summary before this one was made): only an exclusion newer than the summary invalidates it.
		async dropIfExcluded(threadId) {
			const result = await db
				.deleteFrom('thread_summaries')
				.where('thread_id', '=', threadId)
				.where((eb) =>
					eb.exists(
						eb
							.selectFrom('messages')
							.select(sql<number>`1`.as('one'))
							.where('messages.thread_id', '=', threadId)
							.whereRef('messages.excluded_at', '>=', 'thread_summaries.created_at')
							.where(EXCHANGE, '<=', eb.ref('thread_summaries.through_turn_id')),
					),
				)
				.executeTakeFirst();
			return result.numDeletedRows > 0n;
		},
	};
}
