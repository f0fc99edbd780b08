import type { SharedOnce } from '../../concurrency/shared-limits.js';
import type { ExpiringEntry } from './expiring-map.js';
import { createExpiringMap } from './expiring-map.js';

/** Bounded: a key pushed out by many newer ones is at worst told once more. */
const TOLD_MAX = 10_000;

export type MemoryOnce = SharedOnce & { drain(): ExpiringEntry<true>[] };

export function createMemoryOnce(now: () => number): MemoryOnce {
	const told = createExpiringMap<true>(now, TOLD_MAX);
	return {
		first(key, ttlMs) {
			if (told.get(key)) return Promise.resolve(false);
			told.set(key, true, ttlMs);
			return Promise.resolve(true);
		},
		drain: () => told.drain(),
	};
}
