import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { RetentionStore } from '../ports/retention-store.js';
import { NO_RETENTION_COUNTS } from '../ports/retention-store.js';
import { changed } from './dialect.js';
import { markInactiveIfEmpty } from './forget-store.js';
import type { Schema } from './schema.js';
import type { StoreOptions } from './store-options.js';
import { deleteUnusedBlobs } from './unused-blobs.js';

/** RETENTION_DAYS over Kysely: old turns a batch at a time, with their answers, files and summaries. */
export function createKyselyRetentionStore(
	db: Kysely<Schema>,
	options: Pick<StoreOptions, 'dialect' | 'afterErase'>,
): RetentionStore {
	// messages_by_time finds them. A reply still being written is never deleted, nor the question it answers (its
	// row refers to the question); an answer to an old question that is newer than the cutoff keeps it the same way.
	const oldTurns = (from: Kysely<Schema>, cutoff: number, limit: number, within?: readonly number[]) =>
		from
			.selectFrom('messages as turn')
			.select(['turn.id', 'turn.thread_id'])
			.where('turn.created_at', '<', cutoff)
			.where(sql<string>`coalesce(turn.status, '')`, '!=', sql.lit('streaming'))
			.where((eb) =>
				eb.not(
					eb.exists(
						eb
							.selectFrom('messages as answer')
							.select('answer.id')
							.whereRef('answer.reply_to_id', '=', 'turn.id')
							.where((answer) =>
								answer.or([answer('answer.created_at', '>=', cutoff), answer('answer.status', '=', 'streaming')]),
							),
					),
				),
			)
			.$if(within !== undefined, (query) => query.where('turn.id', 'in', within ?? []))
			.orderBy('turn.created_at')
			.limit(limit)
			.execute();

	const deleteBatch = (cutoff: number, limit: number) =>
		db.transaction().execute(async (trx) => {
			const selected = await oldTurns(trx, cutoff, limit);
			if (selected.length === 0) return { ...NO_RETENTION_COUNTS, selected: 0 };
			const threadIds = [...new Set(selected.map((turn) => turn.thread_id))];
			// A reply may have begun for one of them before the lock: read the batch again.
			const picked = (await options.dialect.lockThreads(trx, threadIds))
				? await oldTurns(
						trx,
						cutoff,
						limit,
						selected.map((turn) => turn.id),
					)
				: selected;
			const ids = picked.map((turn) => turn.id);
			// The batch's questions take their answers with them (which the conditions above make old and finished).
			const turns =
				ids.length === 0
					? []
					: await trx
							.selectFrom('messages')
							.select(['id', 'thread_id'])
							.where((eb) => eb.or([eb('id', 'in', ids), eb('reply_to_id', 'in', ids)]))
							.execute();
			if (turns.length === 0) return { ...NO_RETENTION_COUNTS, selected: selected.length };
			const turnIds = turns.map((turn) => turn.id);
			const files = await trx
				.selectFrom('turn_attachments')
				.select((eb) => eb.fn.countAll<number>().as('files'))
				.where('turn_id', 'in', turnIds)
				.executeTakeFirstOrThrow();
			const hashes = await trx
				.selectFrom('turn_attachments')
				.select('sha256')
				.distinct()
				.where('turn_id', 'in', turnIds)
				.execute();
			// A summary is content too: it goes once a turn it stands for (an exchange at or below its last one) goes.
			const summaries = await trx
				.deleteFrom('thread_summaries')
				.where((eb) =>
					eb.exists(
						eb
							.selectFrom('messages as turn')
							.select('turn.id')
							.where('turn.id', 'in', turnIds)
							.whereRef('turn.thread_id', '=', 'thread_summaries.thread_id')
							.where(
								sql<number>`coalesce(turn.reply_to_id, turn.id)`,
								'<=',
								eb.ref('thread_summaries.through_turn_id'),
							),
					),
				)
				.executeTakeFirst();
			// turn_attachments rows go with their turn (ON DELETE CASCADE).
			const messages = await trx.deleteFrom('messages').where('id', 'in', turnIds).executeTakeFirst();
			const blobs = await deleteUnusedBlobs(
				trx,
				options.dialect,
				hashes.map((row) => row.sha256),
			);
			await markInactiveIfEmpty(trx, [...new Set(turns.map((turn) => turn.thread_id))]);
			return {
				messages: changed(messages),
				files: files.files,
				blobs,
				summaries: changed(summaries),
				selected: selected.length,
			};
		});

	return {
		async deleteBatch(cutoff, limit) {
			const counts = await deleteBatch(cutoff, limit);
			if (counts.selected > 0) await options.afterErase();
			return counts;
		},
	};
}
