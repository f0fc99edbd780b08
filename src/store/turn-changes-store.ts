import type { SqliteDatabase } from './open-database.js';
import { scrubFreePages } from './scrub-free-pages.js';
import type { TurnRow } from './session-rows.js';
import { mapTurn } from './session-rows.js';
import type { StoredTurn } from './session-store.js';

/**
 * What members and moderators change in Discord after the bot stored it: edits replace the text, deletions remove it.
 * Every change leaves no readable copy: the freed space is zeroed (secure_delete), the WAL is checkpointed, and a
 * summary that stood for the old text is dropped.
 */
export type TurnChangesStore = {
	/** The reply that posted `discordMessageId` in `threadId` (any of its messages, not only the first). */
	findReplyByMessage(threadId: string, discordMessageId: string): StoredTurn | undefined;
	/** A member edited their message: the stored text becomes the new one. */
	updateTurnContent(turnId: number, content: string): void;
	/** A member deleted their message before it was answered: it goes, with any reply row begun for it. */
	withdrawTurn(turnId: number): void;
	/**
	 * A message deleted after other turns came to depend on it (an answered question, a posted reply): its text,
	 * sources and files are removed and it leaves the context, but the row stays so the exchange keeps its place and
	 * its question counts as answered. A reply still streaming keeps it blank when it finishes.
	 */
	eraseTurn(turnId: number): void;
};

export function createTurnChangesStore(db: SqliteDatabase, now: () => number): TurnChangesStore {
	// Scoped to one thread (messages_by_thread): a MESSAGE_DELETE for every message in the server comes here.
	const selectReply = db.prepare<[string, string], TurnRow>(
		`SELECT * FROM messages WHERE thread_id = ? AND role = 'model' AND reply_message_ids IS NOT NULL
		 AND EXISTS (SELECT 1 FROM json_each(reply_message_ids) WHERE value = ?) LIMIT 1`,
	);
	const updateContent = db.prepare<[string, number, number]>(
		'UPDATE messages SET content = ?, edited_at = ? WHERE id = ? AND deleted_at IS NULL',
	);
	// The summary's text came from the old words: it goes, and the next long reply folds the thread again.
	const dropCoveringSummary = db.prepare<[number]>(
		`DELETE FROM thread_summaries WHERE (thread_id, through_turn_id) IN (
			SELECT summary.thread_id, summary.through_turn_id FROM messages AS turn
			JOIN thread_summaries AS summary ON summary.thread_id = turn.thread_id
			WHERE turn.id = ? AND coalesce(turn.reply_to_id, turn.id) <= summary.through_turn_id)`,
	);
	const deleteTurn = db.prepare<[number, number]>('DELETE FROM messages WHERE reply_to_id = ? OR id = ?');
	const hashesOf = db
		.prepare<[number, number], string>(
			`SELECT DISTINCT sha256 FROM turn_attachments
			 WHERE turn_id IN (SELECT id FROM messages WHERE reply_to_id = ? OR id = ?)`,
		)
		.pluck();
	const deleteFiles = db.prepare<[number]>('DELETE FROM turn_attachments WHERE turn_id = ?');
	const deleteBlob = db.prepare<[string, string]>(
		'DELETE FROM attachment_blobs WHERE sha256 = ? AND NOT EXISTS (SELECT 1 FROM turn_attachments WHERE sha256 = ?)',
	);
	const blank = db.prepare<{ id: number; at: number }>(
		`UPDATE messages SET content = '', grounding = NULL, attachment_count = 0, deleted_at = @at,
			excluded_at = coalesce(excluded_at, @at)
		 WHERE id = @id`,
	);

	const deleteBlobs = (hashes: readonly string[]): void => {
		for (const sha256 of hashes) deleteBlob.run(sha256, sha256);
	};
	const edit = db.transaction((turnId: number, content: string): void => {
		dropCoveringSummary.run(turnId);
		updateContent.run(content, now(), turnId);
	});
	const withdraw = db.transaction((turnId: number): void => {
		const hashes = hashesOf.all(turnId, turnId);
		dropCoveringSummary.run(turnId);
		// turn_attachments rows go with their turn (ON DELETE CASCADE).
		deleteTurn.run(turnId, turnId);
		deleteBlobs(hashes);
	});
	const erase = db.transaction((turnId: number): void => {
		const hashes = hashesOf.all(-1, turnId);
		dropCoveringSummary.run(turnId);
		deleteFiles.run(turnId);
		blank.run({ id: turnId, at: now() });
		deleteBlobs(hashes);
	});

	return {
		findReplyByMessage(threadId, discordMessageId) {
			const row = selectReply.get(threadId, discordMessageId);
			return row && mapTurn(row);
		},
		updateTurnContent(turnId, content) {
			edit(turnId, content);
			scrubFreePages(db);
		},
		withdrawTurn(turnId) {
			withdraw(turnId);
			scrubFreePages(db);
		},
		eraseTurn(turnId) {
			erase(turnId);
			scrubFreePages(db);
		},
	};
}
