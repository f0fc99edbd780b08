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
 * active) and the usage ledger stay.
 */
export type RetentionStore = {
	/**
	 * Deletes up to `limit` turns created before `cutoff` (epoch ms), oldest first, with the answers to them, their
	 * files and the summaries covering them, in one transaction. `selected` is how many turns the batch picked: fewer
	 * than `limit` means nothing older is left.
	 */
	deleteBatch(cutoff: number, limit: number): Promise<RetentionCounts & { readonly selected: number }>;
};
