import type { SharedLimits } from '../../concurrency/shared-limits.js';
import { createMemoryCounters } from './memory-counters.js';
import { createMemoryLanes } from './memory-lanes.js';
import { createMemoryOnce } from './memory-once.js';
import { createMemoryTotals } from './memory-totals.js';
import { createSlidingWindows } from './sliding-windows.js';

/** A fixed per-second budget's window. */
export const RATE_WINDOW_MS = 1_000;

export type LocalLimitsOptions = {
	/** @default Date.now */
	readonly now?: () => number;
	/** The lanes' window, in ms (tests shorten it). @default LANE_WINDOW_MS */
	readonly laneWindowMs?: number;
};

/** Every limit, exact, for a bot that runs as one process. */
export function createLocalLimits(options: LocalLimitsOptions = {}): SharedLimits {
	const now = options.now ?? Date.now;
	const rate = createSlidingWindows(now, RATE_WINDOW_MS);
	return {
		lanes: createMemoryLanes(now, options.laneWindowMs),
		counters: createMemoryCounters(),
		totals: createMemoryTotals(now),
		once: createMemoryOnce(now),
		rate: { take: (key, perSecond) => Promise.resolve(rate.take(key, 1, perSecond)) },
		state: () => 'local',
		close: () => Promise.resolve(),
	};
}
