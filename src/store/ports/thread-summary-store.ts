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
	summaryOf(threadId: string): Promise<ThreadSummary | undefined>;
	/**
	 * Saves a summary made from the one covering `previousThroughTurnId` (0: none) plus the turns after it, read at
	 * `readAt`, unless the thread moved on meanwhile: another summary was saved, /reset or /rewind dropped the old
	 * one, or a folded turn was excluded, deleted or edited since `readAt`. Returns whether it was saved.
	 */
	replace(summary: NewThreadSummary, previousThroughTurnId: number, readAt: number): Promise<boolean>;
	/** /reset: the summary stands for turns no longer in the context. */
	drop(threadId: string): Promise<boolean>;
	/** /rewind: drops the summary if it covers any turn excluded from the context. */
	dropIfExcluded(threadId: string): Promise<boolean>;
};
