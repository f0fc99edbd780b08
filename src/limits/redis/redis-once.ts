import type { SharedOnce } from '../../concurrency/shared-limits.js';
import { createMemoryOnce } from '../memory/memory-once.js';
import { preferRedis } from './prefer-redis.js';
import type { RedisDeps } from './redis-deps.js';

/** "Told once" as SET NX PX; while Redis is away, once per process (handed over when it is back). */
export function createRedisOnce({ redis, health, prefix, now }: RedisDeps): SharedOnce {
	const local = createMemoryOnce(now);
	const keyOf = (key: string): string => `${prefix}once:${key}`;
	const claim = async (key: string, ttlMs: number): Promise<boolean> =>
		(await redis.set(keyOf(key), '1', 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX')) === 'OK';
	health.onBack(() => {
		for (const entry of local.drain()) claim(entry.key, entry.remainingMs).catch(health.fault);
	});
	return {
		first: (key, ttlMs) =>
			preferRedis(
				health,
				() => claim(key, ttlMs),
				() => local.first(key, ttlMs),
			),
	};
}
