import type { SqliteDatabase } from './open-database.js';
import { scrubFreePages } from './scrub-free-pages.js';

/** What /forget deletes (or would delete) in a thread. */
export type ForgetCounts = {
	readonly messages: number;
	/** Files stored with those turns (the bytes go too unless another turn has the same file). */
	readonly files: number;
	readonly summary: boolean;
};

/** Which exchanges (a question and its answer) of the thread: all, all but one, or only one. */
export type ForgetScope = { readonly except?: number; readonly only?: number };

/**
 * /forget: deletes a thread's stored conversation (turns, their files, its summary). The session row stays, so the
 * bot keeps answering in the thread, and so do the moderators' settings and the usage ledger (no content).
 */
export type ForgetStore = {
	count(threadId: string): ForgetCounts;
	/** One transaction; `scope` keeps (or picks) one exchange, such as the one a reply is still being written for. */
	forget(threadId: string, scope?: ForgetScope): ForgetCounts;
};

type ScopeParameters = { threadId: string; except: number | null; only: number | null };

/**
 * Catch-up continues after a thread's newest stored member message; with none left it would read the thread from its
 * first message and store again what was just deleted. A session without turns counts as inactive until its next one.
 */
export const MARK_INACTIVE_IF_EMPTY = `UPDATE sessions SET updated_at = 0
	WHERE thread_id = ? AND NOT EXISTS (SELECT 1 FROM messages WHERE thread_id = ?)`;

const IN_SCOPE = `thread_id = @threadId AND (@only IS NULL OR coalesce(reply_to_id, id) = @only)
	AND (@except IS NULL OR coalesce(reply_to_id, id) != @except)`;

export function createForgetStore(db: SqliteDatabase): ForgetStore {
	const countMessages = db.prepare<ScopeParameters, number>(`SELECT count(*) FROM messages WHERE ${IN_SCOPE}`).pluck();
	const countFiles = db
		.prepare<ScopeParameters, number>(
			`SELECT count(*) FROM turn_attachments WHERE turn_id IN (SELECT id FROM messages WHERE ${IN_SCOPE})`,
		)
		.pluck();
	const selectHashes = db
		.prepare<ScopeParameters, string>(
			`SELECT DISTINCT sha256 FROM turn_attachments WHERE turn_id IN (SELECT id FROM messages WHERE ${IN_SCOPE})`,
		)
		.pluck();
	const hasSummary = db.prepare<[string], number>('SELECT 1 FROM thread_summaries WHERE thread_id = ?').pluck();
	// A scope holds whole exchanges, so every answer goes in the same statement as its question (reply_to_id).
	const deleteMessages = db.prepare<ScopeParameters>(`DELETE FROM messages WHERE ${IN_SCOPE}`);
	const deleteSummary = db.prepare<[string]>('DELETE FROM thread_summaries WHERE thread_id = ?');
	const deleteBlob = db.prepare<[string, string]>(
		'DELETE FROM attachment_blobs WHERE sha256 = ? AND NOT EXISTS (SELECT 1 FROM turn_attachments WHERE sha256 = ?)',
	);
	const markInactive = db.prepare<[string, string]>(MARK_INACTIVE_IF_EMPTY);

	const forget = db.transaction((parameters: ScopeParameters): ForgetCounts => {
		const files = countFiles.get(parameters) ?? 0;
		const hashes = selectHashes.all(parameters);
		// turn_attachments rows go with their turn (ON DELETE CASCADE).
		const messages = deleteMessages.run(parameters).changes;
		for (const sha256 of hashes) deleteBlob.run(sha256, sha256);
		const summary = deleteSummary.run(parameters.threadId).changes > 0;
		markInactive.run(parameters.threadId, parameters.threadId);
		return { messages, files, summary };
	});

	return {
		count(threadId) {
			const parameters = { threadId, except: null, only: null };
			return {
				messages: countMessages.get(parameters) ?? 0,
				files: countFiles.get(parameters) ?? 0,
				summary: hasSummary.get(threadId) !== undefined,
			};
		},
		forget(threadId, scope = {}) {
			const counts = forget({ threadId, except: scope.except ?? null, only: scope.only ?? null });
			scrubFreePages(db);
			return counts;
		},
	};
}
