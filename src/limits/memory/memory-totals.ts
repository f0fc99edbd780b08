import type { SharedTotals } from '../../concurrency/shared-limits.js';
import type { ExpiringEntry } from './expiring-map.js';
import { createExpiringMap } from './expiring-map.js';

/** A process's totals, which Redis's fallback hands over when it is back. */
export type MemoryTotals = SharedTotals & { drain(): ExpiringEntry<number>[] };

export function createMemoryTotals(now: () => number): MemoryTotals {
	const totals = createExpiringMap<number>(now);
	return {
		add(key, amount, ttlMs) {
			// Signed, as Redis's INCRBY: a take-back of something counted elsewhere is kept until it can be handed over.
			const total = (totals.get(key) ?? 0) + amount;
			totals.set(key, total, ttlMs);
			return Promise.resolve(total);
		},
		get: (key) => Promise.resolve(totals.get(key) ?? 0),
		drain: () => totals.drain(),
	};
}
