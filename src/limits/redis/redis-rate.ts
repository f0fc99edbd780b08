import type { SharedRate } from '../../concurrency/shared-limits.js';
import { RATE_WINDOW_MS } from '../memory/create-local-limits.js';
import { createSlidingWindows } from '../memory/sliding-windows.js';
import { createBucketWindow } from './bucket-window.js';
import { admitInWindow, localShare } from './prefer-redis.js';
import type { RedisDeps } from './redis-deps.js';

/** 50 ms buckets: the budget holds in any second, at the cost of up to 50 ms more wait. */
const RATE_BUCKET_MS = 50;

/**
 * A per-second budget in a bucketed sliding window (bucket-window.ts) rather than RLF's fixed 1 s window, which
 * would let twice the budget through across a boundary (90 Discord writes in a few ms, where Discord allows 50/s).
 */
export function createRedisRate({ redis, health, prefix, processes, now }: RedisDeps): SharedRate {
	const local = createSlidingWindows(now, RATE_WINDOW_MS);
	const window = createBucketWindow({
		redis,
		prefix: `${prefix}rate:`,
		windowMs: RATE_WINDOW_MS,
		bucketMs: RATE_BUCKET_MS,
		now,
	});
	return {
		take: (key, perSecond) =>
			admitInWindow(
				health,
				RATE_WINDOW_MS,
				{
					wait: () => local.wait(key, 1, localShare(perSecond, processes)),
					record: () => {
						local.record(key, 1);
					},
				},
				async () => (await window.take(key, 1, perSecond)).wait,
			),
	};
}
