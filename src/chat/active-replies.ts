/** A reply being written (or waiting for the model), and what it answers. */
export type ActiveReply = {
	readonly threadId: string;
	/** The member's turn it answers. */
	readonly turnId: number;
	/** The model call has started: before that, the reply is only waiting in the queue. */
	readonly started: boolean;
};

/** The replies in progress, one per thread, so /stop, the Stop button and Discord events can end them. */
export type ActiveReplies = {
	/** Registers the reply now being prepared in `threadId`; call `end` when it is finished. */
	begin(threadId: string, turnId: number): { signal: AbortSignal; markStarted(): void; end(): void };
	/** Aborts the thread's reply with `reason`; false when nothing was being written. */
	stop(threadId: string, reason: unknown): boolean;
	get(threadId: string): ActiveReply | undefined;
	isActive(threadId: string): boolean;
	/** Every reply in progress (for a shutdown, or a deleted channel). */
	list(): ActiveReply[];
};

type Entry = { threadId: string; turnId: number; started: boolean; controller: AbortController };

export function createActiveReplies(): ActiveReplies {
	const entries = new Map<string, Entry>();
	const view = ({ threadId, turnId, started }: Entry): ActiveReply => ({ threadId, turnId, started });
	return {
		begin(threadId, turnId) {
			const entry: Entry = { threadId, turnId, started: false, controller: new AbortController() };
			entries.set(threadId, entry);
			return {
				signal: entry.controller.signal,
				markStarted() {
					entry.started = true;
				},
				end() {
					if (entries.get(threadId) === entry) entries.delete(threadId);
				},
			};
		},
		stop(threadId, reason) {
			const entry = entries.get(threadId);
			if (!entry || entry.controller.signal.aborted) return false;
			entry.controller.abort(reason);
			return true;
		},
		get(threadId) {
			const entry = entries.get(threadId);
			return entry && view(entry);
		},
		isActive: (threadId) => entries.has(threadId),
		list: () => [...entries.values()].map(view),
	};
}
