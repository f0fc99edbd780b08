import { windowWait } from '../window-wait.js';
import type { RedisDeps } from './redis-deps.js';
import { runMulti } from './run-multi.js';

/** A sliding window in Redis, for every process together, counted in buckets of `bucketMs`. */
export type BucketWindow = {
	/**
	 * Counts `amount` now if the window then holds at most `limit` (or held nothing): wait 0, and `undo` takes it
	 * back; else the ms until it might, with nothing counted.
	 */
	take(key: string, amount: number, limit: number): Promise<{ wait: number; undo: () => Promise<void> }>;
	/** Counts `amount` now, whatever the window holds. */
	add(key: string, amount: number): Promise<void>;
};

export type BucketWindowOptions = Pick<RedisDeps, 'redis' | 'prefix' | 'now'> & {
	readonly windowMs: number;
	readonly bucketMs: number;
};

/**
 * Fixed windows would let twice the limit through across a boundary; a log of every entry would need a script. So
 * each bucket is a counter, and a take adds to the current one and reads them all in one MULTI: the reads of
 * concurrent takes see each other's additions in the order Redis ran them, so the first that fits goes and the
 * others take theirs back. An entry counts as if made at its bucket's end: never more than `limit` in any window,
 * at the cost of up to one bucket's wait.
 */
export function createBucketWindow(options: BucketWindowOptions): BucketWindow {
	const { redis, prefix, windowMs, bucketMs, now } = options;
	const keyOf = (key: string, index: number): string => `${prefix}${key}:${index}`;
	const ttlMs = windowMs + 2 * bucketMs;
	const addTo = (bucket: string, amount: number) => redis.multi().incrby(bucket, amount).pexpire(bucket, ttlMs);
	return {
		async take(key, amount, limit) {
			const at = now();
			const last = Math.floor(at / bucketMs);
			const first = Math.floor((at - windowMs) / bucketMs);
			const indexes = Array.from({ length: last - first + 1 }, (_, offset) => first + offset);
			const bucket = keyOf(key, last);
			const replies = await runMulti(addTo(bucket, amount).mget(indexes.map((index) => keyOf(key, index))));
			const counts = replies[2] as (string | null)[];
			const entries = indexes.map((index, position) => ({
				at: (index + 1) * bucketMs - 1,
				amount: Number(counts[position] ?? 0) - (index === last ? amount : 0),
			}));
			const undo = async (): Promise<void> => {
				await redis.decrby(bucket, amount);
			};
			const wait = windowWait(entries, amount, limit, at, windowMs);
			if (wait > 0) await undo();
			return { wait, undo };
		},
		async add(key, amount) {
			await runMulti(addTo(keyOf(key, Math.floor(now() / bucketMs)), amount));
		},
	};
}
