/** A place held for a member's call until it starts (or ends without starting); `leave` may be called more than once. */
export type CapTicket = { readonly leave: () => void };

/**
 * GEMINI_USER_QUEUE_MAX over every path that starts a model call (mentions, thread messages, /chat, /imagine,
 * /summarize, replies to pictures, catch-up answers): the calls a member has waiting that have not started yet.
 */
export type MemberCap = {
	/** Counts a new call for the member, or returns undefined when they already have `max` waiting. */
	enter(memberId: string): CapTicket | undefined;
	waitingOf(memberId: string): number;
	/** GEMINI_USER_QUEUE_MAX. */
	readonly max: number;
};

export function createMemberCap(max: number): MemberCap {
	// Only members with calls waiting have an entry, so the map stays as small as the queue.
	const waiting = new Map<string, number>();
	const change = (memberId: string, delta: number): void => {
		const count = (waiting.get(memberId) ?? 0) + delta;
		if (count > 0) waiting.set(memberId, count);
		else waiting.delete(memberId);
	};
	return {
		max,
		enter(memberId) {
			if ((waiting.get(memberId) ?? 0) >= max) return undefined;
			change(memberId, 1);
			let counted = true;
			return {
				leave() {
					if (counted) change(memberId, -1);
					counted = false;
				},
			};
		},
		waitingOf: (memberId) => waiting.get(memberId) ?? 0,
	};
}

/** The one line a member gets when the cap stops a call. */
export function queueFullText(max: number): string {
	return `⏳ You already have ${max} questions waiting for an answer. Please wait for those before asking more.`;
}
