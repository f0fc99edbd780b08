import { MARK_INACTIVE_IF_EMPTY } from './forget-store.js';
import type { SqliteDatabase } from './open-database.js';
import { scrubFreePages } from './scrub-free-pages.js';

export type RetentionCounts = {
	/** Turns deleted (questions and answers). */
	readonly messages: number;
	/** Files those turns had. */
	readonly files: number;
	/** Stored files no remaining turn refers to, deleted with them. */
	readonly blobs: number;
	/** Thread summaries that stood for a deleted turn. */
	readonly summaries: number;
};

export const NO_RETENTION_COUNTS: RetentionCounts = { messages: 0, files: 0, blobs: 0, summaries: 0 };

/**
 * RETENTION_DAYS: deletes old turns a batch at a time; sessions rows (a session left without turns no longer counts as
 * active, see MARK_INACTIVE_IF_EMPTY) and the usage ledger stay.
 */
export type RetentionStore = {
	/**
	 * Deletes up to `limit` turns created before `cutoff` (epoch ms), oldest first, with the answers to them, their
	 * files and the summaries covering them, in one transaction. `selected` is how many turns the batch picked: fewer
	 * than `limit` means nothing older is left.
	 */
	deleteBatch(cutoff: number, limit: number): RetentionCounts & { readonly selected: number };
};

// The batch's ids (a JSON array, so each statement is prepared once), and its questions take their answers with them
// (which the batch's conditions make old and finished).
const BATCH = '(SELECT value FROM json_each(@ids))';
const WITH_ANSWERS = `(SELECT id FROM messages WHERE id IN ${BATCH} OR reply_to_id IN ${BATCH})`;

export function createRetentionStore(db: SqliteDatabase): RetentionStore {
	// messages_by_time finds them. A reply still being written is never deleted, nor the question it answers (its
	// row refers to the question); an answer to an old question that is newer than the cutoff keeps it the same way.
	const selectBatch = db
		.prepare<{ cutoff: number; limit: number }, number>(
			`SELECT id FROM messages AS turn
			 WHERE created_at < @cutoff AND coalesce(status, '') != 'streaming'
			 AND NOT EXISTS (SELECT 1 FROM messages AS answer WHERE answer.reply_to_id = turn.id
				AND (answer.created_at >= @cutoff OR answer.status = 'streaming'))
			 ORDER BY created_at LIMIT @limit`,
		)
		.pluck();
	const countFiles = db
		.prepare<{ ids: string }, number>(`SELECT count(*) FROM turn_attachments WHERE turn_id IN ${WITH_ANSWERS}`)
		.pluck();
	const selectThreads = db
		.prepare<{ ids: string }, string>(`SELECT DISTINCT thread_id FROM messages WHERE id IN ${WITH_ANSWERS}`)
		.pluck();
	const selectHashes = db
		.prepare<{ ids: string }, string>(`SELECT DISTINCT sha256 FROM turn_attachments WHERE turn_id IN ${WITH_ANSWERS}`)
		.pluck();
	// A summary is content too: it goes once a turn it stands for (an exchange at or below its last one) is deleted.
	const deleteSummaries = db.prepare<{ ids: string }>(
		`DELETE FROM thread_summaries WHERE thread_id IN (SELECT turn.thread_id FROM messages AS turn
			JOIN thread_summaries AS summary ON summary.thread_id = turn.thread_id
			WHERE turn.id IN ${WITH_ANSWERS} AND coalesce(turn.reply_to_id, turn.id) <= summary.through_turn_id)`,
	);
	// turn_attachments rows go with their turn (ON DELETE CASCADE).
	const deleteTurns = db.prepare<{ ids: string }>(`DELETE FROM messages WHERE id IN ${WITH_ANSWERS}`);
	const deleteBlob = db.prepare<[string, string]>(
		'DELETE FROM attachment_blobs WHERE sha256 = ? AND NOT EXISTS (SELECT 1 FROM turn_attachments WHERE sha256 = ?)',
	);
	const markInactive = db.prepare<[string, string]>(MARK_INACTIVE_IF_EMPTY);

	const deleteBatch = db.transaction((cutoff: number, limit: number) => {
		const selected = selectBatch.all({ cutoff, limit });
		if (selected.length === 0) return { ...NO_RETENTION_COUNTS, selected: 0 };
		const batch = { ids: JSON.stringify(selected) };
		const files = countFiles.get(batch) ?? 0;
		const hashes = selectHashes.all(batch);
		const threads = selectThreads.all(batch);
		const summaries = deleteSummaries.run(batch).changes;
		const messages = deleteTurns.run(batch).changes;
		let blobs = 0;
		for (const sha256 of hashes) blobs += deleteBlob.run(sha256, sha256).changes;
		for (const threadId of threads) markInactive.run(threadId, threadId);
		return { messages, files, blobs, summaries, selected: selected.length };
	});

	return {
		deleteBatch(cutoff, limit) {
			const counts = deleteBatch(cutoff, limit);
			if (counts.selected > 0) scrubFreePages(db);
			return counts;
		},
	};
}
