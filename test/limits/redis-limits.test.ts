import { setTimeout as sleep } from 'node:timers/promises';
import { openRedisLimits } from '../../src/limits/redis/open-redis-limits.js';
import { silentLogger } from '../support/silent-logger.js';
import { REDIS_TESTS_RUN, TEST_REDIS_URL, testKeyPrefix } from '../support/redis.js';
import { describeLimitsContract } from './limits-contract.js';

// Redis keeps time itself (key expiry): the contract runs in real time, on short windows.
describeLimitsContract(
	'Redis, one process',
	{
		open: (laneWindowMs) =>
			openRedisLimits({
				url: TEST_REDIS_URL,
				processes: 1,
				keyPrefix: testKeyPrefix('contract'),
				logger: silentLogger,
				laneWindowMs,
			}),
		// A few ms more: a timer may fire before Redis has expired the key it waits for.
		advance: (ms) => sleep(ms + 5),
		now: Date.now,
		state: 'shared',
	},
	REDIS_TESTS_RUN,
);
