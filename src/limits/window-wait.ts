/**
 * Gemini counts requests per minute when they arrive, and arrival jitters by a few hundred ms after a call starts:
 * a lane's window is a second longer than a minute (as llm/model-gate.ts's RATE_WINDOW_MS).
 */
export const LANE_WINDOW_MS = 61_000;

/** Something counted in a sliding window: `amount` at `at` (epoch ms). */
export type WindowEntry = { readonly at: number; readonly amount: number };

/**
 * How many ms until `amount` more fits in a sliding window of `windowMs` holding `entries` (oldest first) without
 * passing `limit`: 0 if it fits now. Something larger than the whole limit still goes, alone in an empty window,
 * rather than never.
 */
export function windowWait(
	entries: readonly WindowEntry[],
	amount: number,
	limit: number,
	now: number,
	windowMs: number,
): number {
	const live = entries.filter((entry) => entry.at > now - windowMs && entry.amount > 0);
	let used = live.reduce((sum, entry) => sum + entry.amount, 0);
	let ready = now;
	for (const entry of live) {
		if (used + amount <= limit) break;
		used -= entry.amount;
		ready = Math.max(ready, entry.at + windowMs);
	}
	return ready - now;
}
