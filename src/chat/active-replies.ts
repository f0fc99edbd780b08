/** The replies being written right now, one per thread, so /stop and the Stop button can abort them. */
export type ActiveReplies = {
	/** Registers the reply now being written in `threadId`; call `end` when it is finished. */
	begin(threadId: string): { signal: AbortSignal; end(): void };
	/** Aborts the thread's reply with `reason`; false when nothing was being written. */
	stop(threadId: string, reason: unknown): boolean;
	isActive(threadId: string): boolean;
};

export function createActiveReplies(): ActiveReplies {
	const controllers = new Map<string, AbortController>();
	return {
		begin(threadId) {
			const controller = new AbortController();
			controllers.set(threadId, controller);
			return {
				signal: controller.signal,
				end() {
					if (controllers.get(threadId) === controller) controllers.delete(threadId);
				},
			};
		},
		stop(threadId, reason) {
			const controller = controllers.get(threadId);
			if (!controller || controller.signal.aborted) return false;
			controller.abort(reason);
			return true;
		},
		isActive: (threadId) => controllers.has(threadId),
	};
}
