import type { RedisHealth } from './redis-health.js';

/** A process's part of `limit` while Redis is away: never less than 1, so that every process keeps working. */
export function localShare(limit: number, processes: number): number {
	return Math.max(1, Math.floor(limit / Math.max(1, processes)));
}

/** `shared()` while Redis answers; `local()` while it is away, or when it fails. */
export async function preferRedis<T>(
	health: RedisHealth,
	shared: () => Promise<T>,
	local: () => T | Promise<T>,
): Promise<T> {
	if (health.usable()) {
		try {
			return await shared();
		} catch (error) {
			health.fault(error);
		}
	}
	return local();
}

/** A window's local count in this process, within the local share. */
export type LocalWindow = { wait(): number; record(): void };

/**
 * Admits one call in a sliding window of `windowMs`: in Redis while it answers, else in the local share. Calls are
 * also counted locally, so that the local share starts from this process's recent calls when Redis goes; and for a
 * window after it is back, the local share still applies, since Redis never saw the calls made without it.
 */
export function admitInWindow(
	health: RedisHealth,
	windowMs: number,
	local: LocalWindow,
	shared: () => Promise<number>,
): Promise<number> {
	const recent = health.msSinceBack() < windowMs;
	const locally = (): number => {
		const wait = local.wait();
		if (wait === 0) local.record();
		return wait;
	};
	return preferRedis(
		health,
		async () => {
			const localWait = recent ? local.wait() : 0;
			if (localWait > 0) return localWait;
			const wait = await shared();
			if (wait === 0) local.record();
			return wait;
		},
		locally,
	);
}
