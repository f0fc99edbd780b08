import type { Hold, LaneLimits, SharedLaneLimits } from '../../concurrency/shared-limits.js';
import { LANE_WINDOW_MS } from '../window-wait.js';
import { createSlidingWindows } from './sliding-windows.js';

/** A process's lane windows and holds, with the check and the count apart (Redis's fallback needs them so). */
export type MemoryLanes = SharedLaneLimits & {
	/** ms until `lane` may take a call of `tokens` within `limits`, holds included (0: now); counts nothing. */
	wait(lane: string, tokens: number, limits: LaneLimits): number;
	/** Counts a call of `tokens` on `lane` now. */
	record(lane: string, tokens: number): void;
};

export function createMemoryLanes(now: () => number, windowMs = LANE_WINDOW_MS): MemoryLanes {
	const requests = createSlidingWindows(now, windowMs);
	const tokenWindows = createSlidingWindows(now, windowMs);
	const holds = new Map<string, Hold>();
	const holdOf = (lane: string): Hold | undefined => {
		const hold = holds.get(lane);
		if (hold && hold.until <= now()) holds.delete(lane);
		return holds.get(lane);
	};
	const wait = (lane: string, tokens: number, limits: LaneLimits): number =>
		Math.max(
			(holdOf(lane)?.until ?? 0) - now(),
			requests.wait(lane, 1, limits.requestsPerMinute),
			limits.tokensPerMinute === undefined ? 0 : tokenWindows.wait(lane, tokens, limits.tokensPerMinute),
			0,
		);
	const record = (lane: string, tokens: number): void => {
		requests.record(lane, 1);
		if (tokens > 0) tokenWindows.record(lane, tokens);
	};
	return {
		wait,
		record,
		admit(_claim, lane, tokens, limits) {
			// One process needs no place in line: whoever asks once the window has room goes.
			const ms = wait(lane, tokens, limits);
			if (ms === 0) record(lane, tokens);
			return Promise.resolve(ms);
		},
		charge(lane, tokens) {
			if (tokens > 0) tokenWindows.record(lane, tokens);
			return Promise.resolve();
		},
		holdOff(lane, hold) {
			if ((holdOf(lane)?.until ?? 0) < hold.until) holds.set(lane, hold);
			return Promise.resolve();
		},
		holds(lanes) {
			const inForce = lanes.flatMap((lane): [string, Hold][] => {
				const hold = holdOf(lane);
				return hold ? [[lane, hold]] : [];
			});
			return Promise.resolve(new Map(inForce));
		},
	};
}
