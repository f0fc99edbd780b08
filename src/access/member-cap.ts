import type { SharedCounters } from '../concurrency/shared-limits.js';

/** A place held for a member's call until it starts (or ends without starting); `leave` may be called more than once. */
export type CapTicket = { readonly leave: () => void };

/**
 * USER_QUEUE_MAX over every path that starts a model call (mentions, thread messages, /chat, /imagine, /summarize,
 * replies to pictures, catch-up answers): the calls a member has waiting that have not started yet, counted across
 * every process of the bot.
 */
export type MemberCap = {
	/** Counts a new call for the member, or resolves undefined when they already have `max` waiting. */
	enter(memberId: string): Promise<CapTicket | undefined>;
	/** USER_QUEUE_MAX. */
	readonly max: number;
};

export function createMemberCap(
	max: number,
	counters: SharedCounters,
	onError: (error: unknown) => void = () => undefined,
): MemberCap {
	const key = (memberId: string): string => `waiting:${memberId}`;
	return {
		max,
		async enter(memberId) {
			if (!(await counters.take(key(memberId), max))) return undefined;
			let counted = true;
			return {
				leave() {
					if (!counted) return;
					counted = false;
					// The place is given back in the background: a call that starts does not wait for it.
					counters.give(key(memberId)).catch(onError);
				},
			};
		},
	};
}

/** The one line a member gets when the cap stops a call. */
export function queueFullText(max: number): string {
	return `⏳ You already have ${max} questions waiting for an answer. Please wait for those before asking more.`;
}
