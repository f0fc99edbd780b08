import type { SharedCounters } from '../../concurrency/shared-limits.js';

/** A process's counters, with what each holds (Redis's fallback hands them over when it is back). */
export type MemoryCounters = SharedCounters & {
	countOf(key: string): number;
	/** Every counter above 0, emptied. */
	drain(): Map<string, number>;
};

export function createMemoryCounters(): MemoryCounters {
	// Only keys above 0 have an entry, so the map stays as small as what is held.
	let counts = new Map<string, number>();
	const countOf = (key: string): number => counts.get(key) ?? 0;
	return {
		countOf,
		take(key, max) {
			if (countOf(key) >= max) return Promise.resolve(false);
			counts.set(key, countOf(key) + 1);
			return Promise.resolve(true);
		},
		give(key) {
			// Never below 0: a place given back twice must not make room for one more than `max`.
			if (countOf(key) > 1) counts.set(key, countOf(key) - 1);
			else counts.delete(key);
			return Promise.resolve();
		},
		drain() {
			const drained = counts;
			counts = new Map();
			return drained;
		},
	};
}
