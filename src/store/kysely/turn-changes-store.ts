import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { SessionStore } from '../ports/session-store.js';
import { mapTurn } from './rows.js';
import type { Schema } from './schema.js';
import type { StoreOptions } from './store-options.js';
import { deleteUnusedBlobs } from './unused-blobs.js';

type TurnChangesStore = Pick<SessionStore, 'findReplyByMessage' | 'updateTurnContent' | 'withdrawTurn' | 'eraseTurn'>;

/**
 * What members and moderators change in Discord after the bot stored it. Every change leaves no readable copy: a
 * summary that stood for the old text is dropped, and `afterErase` runs once the transaction is committed.
 */
export function createTurnChangesStore(db: Kysely<Schema>, options: StoreOptions): TurnChangesStore {
	const { dialect, now } = options;
	// The summary's text came from the old words: it goes, and the next long reply folds the thread again.
	const dropCoveringSummary = (trx: Kysely<Schema>, turnId: number) =>
		trx
			.deleteFrom('thread_summaries')
			.where((eb) =>
				eb.exists(
					eb
						.selectFrom('messages as turn')
						.select(sql<number>`1`.as('one'))
						.where('turn.id', '=', turnId)
						.whereRef('turn.thread_id', '=', 'thread_summaries.thread_id')
						.where(sql<number>`coalesce(turn.reply_to_id, turn.id)`, '<=', eb.ref('thread_summaries.through_turn_id')),
				),
			)
			.execute();
	const hashesFor = async (trx: Kysely<Schema>, turnId: number, withReplies: boolean) => {
		const rows = await trx
			.selectFrom('turn_attachments')
			.select('sha256')
			.distinct()
			.where('turn_id', 'in', (eb) =>
				eb
					.selectFrom('messages')
					.select('id')
					.where((where) =>
						withReplies
							? where.or([where('id', '=', turnId), where('reply_to_id', '=', turnId)])
							: where('id', '=', turnId),
					),
			)
			.execute();
		return rows.map((row) => row.sha256);
	};
	const change = async (turnId: number, work: (trx: Kysely<Schema>) => Promise<void>) => {
		await db.transaction().execute(async (trx) => {
			await dialect.lockThreadOfTurn(trx, turnId);
			await dropCoveringSummary(trx, turnId);
			await work(trx);
		});
		await options.afterErase();
	};

	return {
		// Scoped to one thread (messages_by_thread): a MESSAGE_DELETE for every message in the server comes here.
		async findReplyByMessage(threadId, discordMessageId) {
			const row = await db
				.selectFrom('messages')
				.selectAll()
				.where('thread_id', '=', threadId)
				.where('role', '=', 'model')
				.where('reply_message_ids', 'is not', null)
				.where((eb) => dialect.jsonArrayHas(eb.ref('reply_message_ids'), discordMessageId))
				.limit(1)
				.executeTakeFirst();
			return row && mapTurn(row);
		},
		updateTurnContent: (turnId, content) =>
			change(turnId, async (trx) => {
				await trx
					.updateTable('messages')
					.set({ content, edited_at: now() })
					.where('id', '=', turnId)
					.where('deleted_at', 'is', null)
					.execute();
			}),
		withdrawTurn: (turnId) =>
			change(turnId, async (trx) => {
				const hashes = await hashesFor(trx, turnId, true);
				// turn_attachments rows go with their turn (ON DELETE CASCADE).
				await trx
					.deleteFrom('messages')
					.where((eb) => eb.or([eb('reply_to_id', '=', turnId), eb('id', '=', turnId)]))
					.execute();
				await deleteUnusedBlobs(trx, dialect, hashes);
			}),
		eraseTurn: (turnId) =>
			change(turnId, async (trx) => {
				const hashes = await hashesFor(trx, turnId, false);
				await trx.deleteFrom('turn_attachments').where('turn_id', '=', turnId).execute();
				const at = now();
				await trx
					.updateTable('messages')
					.set((eb) => ({
						content: '',
						grounding: null,
						attachment_count: 0,
						deleted_at: at,
						excluded_at: eb.fn.coalesce('excluded_at', sql<number>`${at}`),
					}))
					.where('id', '=', turnId)
					.execute();
				await deleteUnusedBlobs(trx, dialect, hashes);
			}),
	};
}
