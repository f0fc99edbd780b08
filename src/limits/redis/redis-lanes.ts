import type { Hold, LaneLimits, SharedLaneLimits } from '../../concurrency/shared-limits.js';
import { createMemoryLanes } from '../memory/memory-lanes.js';
import { createBucketWindow } from './bucket-window.js';
import { admitInWindow, localShare, preferRedis } from './prefer-redis.js';
import type { RedisDeps } from './redis-deps.js';
import { createRedisHolds } from './redis-holds.js';
import { createRequestSlots } from './request-slots.js';

/** Token buckets per lane window: 1 s buckets in a 61 s window. */
const BUCKETS_PER_WINDOW = 61;

/**
 * Lanes for every process together: requests in slots (request-slots.ts), tokens in a bucketed sliding window
 * (bucket-window.ts), hold-offs in expiring keys. Holds are also kept locally, so a process honours the holds it
 * learned itself even if Redis lost them; while Redis is away, each process keeps its share of both windows.
 */
export function createRedisLanes(deps: RedisDeps & { readonly windowMs: number }): SharedLaneLimits {
	const { redis, health, prefix, processes, now, windowMs } = deps;
	const local = createMemoryLanes(now, windowMs);
	const slots = createRequestSlots({ redis, prefix, windowMs });
	const tokenWindow = createBucketWindow({
		redis,
		prefix: `${prefix}tokens:`,
		windowMs,
		bucketMs: Math.max(1, Math.round(windowMs / BUCKETS_PER_WINDOW)),
		now,
	});
	const remoteHolds = createRedisHolds(deps);
	const share = (limits: LaneLimits): LaneLimits => ({
		requestsPerMinute: localShare(limits.requestsPerMinute, processes),
		tokensPerMinute: limits.tokensPerMinute === undefined ? undefined : localShare(limits.tokensPerMinute, processes),
	});
	const holdsOf = async (lanes: readonly string[]): Promise<Map<string, Hold>> => {
		const merged = new Map(await local.holds(lanes));
		const shared = await preferRedis(
			health,
			() => remoteHolds.get(lanes),
			() => new Map<string, Hold>(),
		);
		for (const [lane, hold] of shared) if ((merged.get(lane)?.until ?? 0) < hold.until) merged.set(lane, hold);
		return merged;
	};
	const sharedAdmit = async (claim: object, lane: string, tokens: number, limits: LaneLimits): Promise<number> => {
		const hold = (await holdsOf([lane])).get(lane);
		if (hold) return Math.max(1, hold.until - now());
		const counted =
			limits.tokensPerMinute === undefined ? undefined : await tokenWindow.take(lane, tokens, limits.tokensPerMinute);
		if (counted && counted.wait > 0) return counted.wait;
		const wait = await slots.take(claim, lane, limits.requestsPerMinute);
		if (wait > 0) await counted?.undo();
		return wait;
	};
	return {
		async admit(claim, lane, tokens, limits) {
			const amount = Math.max(0, Math.ceil(tokens));
			const wait = await admitInWindow(
				health,
				windowMs,
				{
					wait: () => local.wait(lane, amount, share(limits)),
					record: () => {
						local.record(lane, amount);
					},
				},
				() => sharedAdmit(claim, lane, amount, limits),
			);
			if (wait === 0) slots.release(claim);
			return wait;
		},
		async charge(lane, tokens, limits) {
			const amount = Math.ceil(tokens);
			if (amount <= 0) return;
			await local.charge(lane, amount, limits);
			await preferRedis(
				health,
				() => tokenWindow.add(lane, amount),
				() => undefined,
			);
		},
		async holdOff(lane, hold) {
			await local.holdOff(lane, hold);
			await preferRedis(
				health,
				() => remoteHolds.set(lane, hold),
				() => undefined,
			);
		},
		holds: holdsOf,
	};
}
