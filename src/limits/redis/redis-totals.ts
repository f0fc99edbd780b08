import type { SharedTotals } from '../../concurrency/shared-limits.js';
import { createMemoryTotals } from '../memory/memory-totals.js';
import { preferRedis } from './prefer-redis.js';
import type { RedisDeps } from './redis-deps.js';
import { runMulti } from './run-multi.js';

/**
 * Totals as INCRBY with a TTL renewed on every change. While Redis is away, this process's changes are kept locally
 * (handed over when it is back) and a total reads as `processes` times this process's part: compared with a limit,
 * that is each process keeping 1/processes of it.
 */
export function createRedisTotals({ redis, health, prefix, processes, now }: RedisDeps): SharedTotals {
	const local = createMemoryTotals(now);
	const keyOf = (key: string): string => `${prefix}total:${key}`;
	const change = async (key: string, amount: number, ttlMs: number): Promise<number> => {
		const [total] = await runMulti(redis.multi().incrby(keyOf(key), amount).pexpire(keyOf(key), Math.ceil(ttlMs)));
		return Number(total);
	};
	const scaled = (total: number): number => processes * Math.max(0, total);
	health.onBack(() => {
		for (const entry of local.drain()) change(entry.key, entry.value, entry.remainingMs).catch(health.fault);
	});
	return {
		add: (key, amount, ttlMs) =>
			preferRedis(
				health,
				() => change(key, Math.round(amount), ttlMs),
				async () => scaled(await local.add(key, Math.round(amount), ttlMs)),
			),
		get: (key) =>
			preferRedis(
				health,
				async () => Number((await redis.get(keyOf(key))) ?? 0),
				async () => scaled(await local.get(key)),
			),
	};
}
