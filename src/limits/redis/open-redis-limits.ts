import type { SharedLimits } from '../../concurrency/shared-limits.js';
import type { Logger } from '../../log/logger.js';
import { LANE_WINDOW_MS } from '../window-wait.js';
import { connectRedis } from './connect-redis.js';
import type { RedisDeps } from './redis-deps.js';
import { createRedisCounters } from './redis-counters.js';
import { createRedisHealth } from './redis-health.js';
import { createRedisLanes } from './redis-lanes.js';
import { createRedisOnce } from './redis-once.js';
import { createRedisRate } from './redis-rate.js';
import { createRedisTotals } from './redis-totals.js';

export type RedisLimitsOptions = {
	/** REDIS_URL: `redis://[[user]:password@]host[:port][/db]`. */
	readonly url: string;
	/** How many processes share the limits: while Redis is away each keeps 1/processes of every limit. */
	readonly processes: number;
	/** Prefix of every key. @default 'gemthread:' */
	readonly keyPrefix?: string;
	readonly logger: Logger;
	/** @default Date.now */
	readonly now?: () => number;
	/** The lanes' window, in whole seconds' ms (tests shorten it). @default LANE_WINDOW_MS */
	readonly laneWindowMs?: number;
};

/** Every limit kept in Redis for all processes together; rejects with a RedisOpenError when Redis cannot be used. */
export async function openRedisLimits(options: RedisLimitsOptions): Promise<SharedLimits> {
	const windowMs = options.laneWindowMs ?? LANE_WINDOW_MS;
	if (!Number.isInteger(windowMs / 1_000) || windowMs <= 0) {
		throw new RangeError(`laneWindowMs must be whole seconds, not ${windowMs} ms`);
	}
	const now = options.now ?? Date.now;
	const processes = Math.max(1, Math.floor(options.processes));
	const redis = await connectRedis(options.url);
	const health = createRedisHealth(redis, { logger: options.logger, processes, now });
	const deps: RedisDeps = { redis, health, prefix: options.keyPrefix ?? 'gemthread:', processes, now };
	return {
		lanes: createRedisLanes({ ...deps, windowMs }),
		counters: createRedisCounters(deps),
		totals: createRedisTotals(deps),
		once: createRedisOnce(deps),
		rate: createRedisRate(deps),
		state: () => health.state(),
		async close() {
			health.close();
			await redis.quit().catch(() => {
				redis.disconnect();
			});
		},
	};
}
