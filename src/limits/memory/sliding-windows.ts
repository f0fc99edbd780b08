import type { WindowEntry } from '../window-wait.js';
import { windowWait } from '../window-wait.js';

/** Sliding windows by key, in this process: what each holds, and when more fits. */
export type SlidingWindows = {
	/** ms until `amount` more fits in `key`'s window within `limit` (0: now); counts nothing. */
	wait(key: string, amount: number, limit: number): number;
	/** Counts `amount` in `key`'s window now. */
	record(key: string, amount: number): void;
	/** `wait`, and `record` when that is 0. */
	take(key: string, amount: number, limit: number): number;
};

export function createSlidingWindows(now: () => number, windowMs: number): SlidingWindows {
	// Only keys with something in their window have an entry, so the map stays as small as the traffic.
	const windows = new Map<string, WindowEntry[]>();
	const live = (key: string): WindowEntry[] => {
		const horizon = now() - windowMs;
		const entries = (windows.get(key) ?? []).filter((entry) => entry.at > horizon);
		if (entries.length > 0) windows.set(key, entries);
		else windows.delete(key);
		return entries;
	};
	const wait = (key: string, amount: number, limit: number): number =>
		windowWait(live(key), amount, limit, now(), windowMs);
	const record = (key: string, amount: number): void => {
		windows.set(key, [...live(key), { at: now(), amount }]);
	};
	return {
		wait,
		record,
		take(key, amount, limit) {
			const ms = wait(key, amount, limit);
			if (ms === 0) record(key, amount);
			return ms;
		},
	};
}
