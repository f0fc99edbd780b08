import type { SharedCounters } from '../../concurrency/shared-limits.js';
import { createMemoryCounters } from '../memory/memory-counters.js';
import { localShare, preferRedis } from './prefer-redis.js';
import type { RedisDeps } from './redis-deps.js';
import { runMulti } from './run-multi.js';

/** A counter goes this long after its last change: places held by a process that died free themselves. */
const COUNTER_TTL_MS = 15 * 60_000;

/**
 * Counters as INCR/DECR with a TTL renewed on every change, rather than RLF: RLF counts a refused take too, and
 * its TTL runs from a key's first take, so a busy member's places would vanish 15 min after their first call.
 * While Redis is away, places are taken in the local share and give-backs of places taken in Redis are owed; both
 * are handed over when it is back.
 */
export function createRedisCounters({ redis, health, prefix, processes }: RedisDeps): SharedCounters {
	const local = createMemoryCounters();
	const owed = new Map<string, number>();
	const keyOf = (key: string): string => `${prefix}counter:${key}`;
	const change = async (key: string, delta: number): Promise<number> => {
		const [count] = await runMulti(redis.multi().incrby(keyOf(key), delta).pexpire(keyOf(key), COUNTER_TTL_MS));
		return Number(count);
	};
	// Below 0 only if the counter expired (or Redis lost it) meanwhile: it must not make room for more than `max`.
	const adjust = async (key: string, delta: number): Promise<void> => {
		const count = await change(key, delta);
		if (count < 0) await change(key, -count);
	};
	health.onBack(() => {
		const deltas = local.drain();
		for (const [key, count] of owed) deltas.set(key, (deltas.get(key) ?? 0) - count);
		owed.clear();
		for (const [key, delta] of deltas) if (delta !== 0) adjust(key, delta).catch(health.fault);
	});
	return {
		take: (key, max) =>
			preferRedis(
				health,
				async () => {
					if ((await change(key, 1)) <= max) return true;
					await change(key, -1);
					return false;
				},
				() => local.take(key, localShare(max, processes)),
			),
		async give(key) {
			if (local.countOf(key) > 0) return local.give(key);
			await preferRedis(
				health,
				() => adjust(key, -1),
				() => void owed.set(key, (owed.get(key) ?? 0) + 1),
			);
		},
	};
}
