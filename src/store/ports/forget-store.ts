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
 * /forget (and a thread deleted in Discord): deletes a thread's stored conversation (turns, their files, its summary)
 * in one transaction. The session row stays, and so do the moderators' settings and the usage ledger (no content).
 */
export type ForgetStore = {
	count(threadId: string): Promise<ForgetCounts>;
	/** `scope` keeps (or picks) one exchange, such as the one a reply is still being written for. */
	forget(threadId: string, scope?: ForgetScope): Promise<ForgetCounts>;
};
