import type { SqliteDatabase } from './open-database.js';

export type ThreadSummary = {
	threadId: string;
	summary: string;
	/** The summary stands for every context turn whose exchange (question id) is at or below this. */
	throughTurnId: number;
	turnCount: number;
	model: string;
	createdAt: number;
};

export type NewThreadSummary = Omit<ThreadSummary, 'createdAt'>;

/** The rolling summary of each long thread's oldest turns. */
export type ThreadSummaryStore = {
	summaryOf(threadId: string): ThreadSummary | undefined;
	/**
	 * Saves a summary made from the one covering `previousThroughTurnId` (0: none) plus the turns after it, read at
	 * `readAt`, unless the thread moved on meanwhile: another summary was saved, /reset or /rewind dropped the old
	 * one or took out a folded turn since `readAt`. Returns whether it was saved.
	 */
	replace(summary: NewThreadSummary, previousThroughTurnId: number, readAt: number): boolean;
	/** /reset: the summary stands for turns no longer in the context. */
	drop(threadId: string): boolean;
	/** /rewind: drops the summary if it covers any turn excluded from the context. */
	dropIfExcluded(threadId: string): boolean;
};

type SummaryRow = {
	thread_id: string;
	summary: string;
	through_turn_id: number;
	turn_count: number;
	model: string;
	created_at: number;
};

export function createThreadSummaryStore(db: SqliteDatabase, now: () => number = Date.now): ThreadSummaryStore {
	const select = db.prepare<[string], SummaryRow>('SELECT * FROM thread_summaries WHERE thread_id = ?');
	const upsert = db.prepare(
		`INSERT INTO thread_summaries (thread_id, summary, through_turn_id, turn_count, model, created_at)
		 VALUES (@threadId, @summary, @throughTurnId, @turnCount, @model, @now)
		 ON CONFLICT (thread_id) DO UPDATE SET summary = excluded.summary, through_turn_id = excluded.through_turn_id,
			turn_count = excluded.turn_count, model = excluded.model, created_at = excluded.created_at`,
	);
	// Turns excluded before the fold read the thread were not in it (a /reset before the first summary, say); a turn
	// deleted (which excludes it) or edited since then was read with words that are no longer there.
	const changedSince = db.prepare<
		{ threadId: string; readAt: number; after: number; through: number },
		{ found: number }
	>(
		`SELECT 1 AS found FROM messages WHERE thread_id = @threadId AND (excluded_at >= @readAt OR edited_at >= @readAt)
		 AND coalesce(reply_to_id, id) > @after AND coalesce(reply_to_id, id) <= @through LIMIT 1`,
	);
	const remove = db.prepare<[string]>('DELETE FROM thread_summaries WHERE thread_id = ?');
	// Excluded turns older than the summary's own turns were excluded by an earlier /reset (which dropped the summary
	// before this one was made): only an exclusion newer than the summary invalidates it.
	const removeIfExcluded = db.prepare<{ threadId: string }>(
		`DELETE FROM thread_summaries WHERE thread_id = @threadId AND EXISTS (
			SELECT 1 FROM messages WHERE thread_id = @threadId AND excluded_at >= thread_summaries.created_at
			AND coalesce(reply_to_id, id) <= thread_summaries.through_turn_id)`,
	);
	// /forget and retention delete turns outright: a fold that read them must not save them back as a summary.
	const turnExists = db.prepare<[number, string], { found: number }>(
		'SELECT 1 AS found FROM messages WHERE id = ? AND thread_id = ?',
	);
	const replace = db.transaction((summary: NewThreadSummary, previous: number, readAt: number): boolean => {
		const current = select.get(summary.threadId)?.through_turn_id ?? 0;
		if (current !== previous) return false;
		if (!turnExists.get(summary.throughTurnId, summary.threadId)) return false;
		const read = { threadId: summary.threadId, readAt, after: previous, through: summary.throughTurnId };
		if (changedSince.get(read)) return false;
		upsert.run({ ...summary, now: now() });
		return true;
	});
	return {
		summaryOf(threadId) {
			const row = select.get(threadId);
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
		replace: (summary, previous, readAt) => replace(summary, previous, readAt),
		drop: (threadId) => remove.run(threadId).changes > 0,
		dropIfExcluded: (threadId) => removeIfExcluded.run({ threadId }).changes > 0,
	};
}
