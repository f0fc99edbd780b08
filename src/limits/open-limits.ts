import type { SharedLimits } from '../concurrency/shared-limits.js';
import type { Logger } from '../log/logger.js';
import { createLocalLimits } from './memory/create-local-limits.js';
import { openRedisLimits } from './redis/open-redis-limits.js';

/**
 * The limits of this process: in memory when it runs alone, in Redis when several share them. Rejects with a
 * RedisOpenError when Redis cannot be used at start.
 */
export function openLimits(options: {
	/** REDIS_URL. */
	readonly redisUrl: string | undefined;
	/** How many processes share the limits. */
	readonly processes: number;
	/** REDIS_KEY_PREFIX. */
	readonly keyPrefix: string;
	readonly logger: Logger;
}): Promise<SharedLimits> {
	if (options.redisUrl === undefined || options.processes <= 1) return Promise.resolve(createLocalLimits());
	return openRedisLimits({
		url: options.redisUrl,
		processes: options.processes,
		keyPrefix: options.keyPrefix,
		logger: options.logger,
	});
}
