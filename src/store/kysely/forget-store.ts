import type { ExpressionBuilder, Kysely } from 'kysely';
import type { ForgetCounts, ForgetScope, ForgetStore } from '../ports/forget-store.js';
import { changed, EXCHANGE } from './dialect.js';
import type { Schema } from './schema.js';
import type { StoreOptions } from './store-options.js';
import { deleteUnusedBlobs } from './unused-blobs.js';

/**
 * Catch-up continues after a thread's newest stored member message; with none left it would read the thread from its
 * first message and store again what was just deleted. A session without turns counts as inactive until its next one.
 */
export async function markInactiveIfEmpty(db: Kysely<Schema>, threadIds: readonly string[]): Promise<void> {
	if (threadIds.length === 0) return;
	await db
		.updateTable('sessions')
		.set({ updated_at: 0 })
		.where('thread_id', 'in', threadIds)
		.where((eb) =>
			eb.not(
				eb.exists(eb.selectFrom('messages').select('id').whereRef('messages.thread_id', '=', 'sessions.thread_id')),
			),
		)
		.execute();
}

/** /forget over Kysely: a thread's turns, their files and its summary, in one transaction. */
export function createKyselyForgetStore(
	db: Kysely<Schema>,
	options: Pick<StoreOptions, 'dialect' | 'afterErase'>,
): ForgetStore {
	// A scope holds whole exchanges, so every answer goes in the same statement as its question (reply_to_id).
	const inScope = (threadId: string, scope: ForgetScope) => (eb: ExpressionBuilder<Schema, 'messages'>) =>
		eb.and([
			eb('thread_id', '=', threadId),
			...(scope.only === undefined ? [] : [eb(EXCHANGE, '=', scope.only)]),
			...(scope.except === undefined ? [] : [eb(EXCHANGE, '!=', scope.except)]),
		]);
	const turnsInScope = (from: Kysely<Schema>, threadId: string, scope: ForgetScope) =>
		from.selectFrom('messages').select('id').where(inScope(threadId, scope));
	const countFiles = async (from: Kysely<Schema>, threadId: string, scope: ForgetScope) => {
		const row = await from
			.selectFrom('turn_attachments')
			.select((eb) => eb.fn.countAll<number>().as('files'))
			.where('turn_id', 'in', turnsInScope(from, threadId, scope))
			.executeTakeFirstOrThrow();
		return row.files;
	};

	return {
		async count(threadId) {
			const [messages, files, summary] = await Promise.all([
				db
					.selectFrom('messages')
					.select((eb) => eb.fn.countAll<number>().as('messages'))
					.where(inScope(threadId, {}))
					.executeTakeFirstOrThrow(),
				countFiles(db, threadId, {}),
				db.selectFrom('thread_summaries').select('thread_id').where('thread_id', '=', threadId).executeTakeFirst(),
			]);
			return { messages: messages.messages, files, summary: summary !== undefined };
		},
		async forget(threadId, scope = {}) {
			const counts = await db.transaction().execute(async (trx): Promise<ForgetCounts> => {
				await options.dialect.lockThreads(trx, [threadId]);
				const files = await countFiles(trx, threadId, scope);
				const hashes = await trx
					.selectFrom('turn_attachments')
					.select('sha256')
					.distinct()
					.where('turn_id', 'in', turnsInScope(trx, threadId, scope))
					.execute();
				// turn_attachments rows go with their turn (ON DELETE CASCADE).
				const deleted = await trx.deleteFrom('messages').where(inScope(threadId, scope)).executeTakeFirst();
				await deleteUnusedBlobs(
					trx,
					options.dialect,
					hashes.map((row) => row.sha256),
				);
				const summary = await trx.deleteFrom('thread_summaries').where('thread_id', '=', threadId).executeTakeFirst();
				await markInactiveIfEmpty(trx, [threadId]);
				return { messages: changed(deleted), files, summary: changed(summary) > 0 };
			});
			await options.afterErase();
			return counts;
		},
	};
}
