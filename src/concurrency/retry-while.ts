import { setTimeout as delay } from 'node:timers/promises';

/** About two minutes in all: long enough for a database restart, short enough not to hold a thread for long. */
export const OUTAGE_DELAYS_MS: readonly number[] = [500, 1_000, 2_000, 4_000, 8_000, ...Array<number>(7).fill(15_000)];

/** Runs `task` again after each delay while it fails with an error `retryable` accepts; then gives up with it. */
export async function retryWhile<T>(
	task: () => Promise<T>,
	retryable: (error: unknown) => boolean,
	delaysMs: readonly number[] = OUTAGE_DELAYS_MS,
): Promise<T> {
	for (const wait of delaysMs) {
		try {
			return await task();
		} catch (error) {
			if (!retryable(error)) throw error;
			await delay(wait);
		}
	}
	return task();
}
