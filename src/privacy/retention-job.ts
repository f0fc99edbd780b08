import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Logger } from '../log/logger.js';
import type { RetentionCounts, RetentionStore } from '../store/ports/retention-store.js';
import { NO_RETENTION_COUNTS } from '../store/ports/retention-store.js';

const DAY_MS = 24 * 60 * 60 * 1_000;

export type RetentionJobOptions = {
	readonly store: RetentionStore;
	/** RETENTION_DAYS: turns older than this many days are deleted. */
	readonly retentionDays: number;
	/** Time between runs, in milliseconds. @default 3_600_000 (1 hour) */
	readonly intervalMs?: number;
	/**
	 * Turns deleted per transaction; the job yields to the event loop between two, so replies are never held up for
	 * long. @default 500
	 */
	readonly batchSize?: number;
	readonly logger: Logger;
	/** @default Date.now */
	readonly now?: () => number;
};

export type RetentionJob = {
	/** Runs at once, then every `intervalMs`. */
	start(): void;
	/** No new run; resolves once a run under way has finished its batch (call before closing the database). */
	stop(): Promise<void>;
	/** Deletes everything older than the cutoff now, batch by batch; resolves with what was deleted. */
	runOnce(): Promise<RetentionCounts>;
};

export function createRetentionJob(options: RetentionJobOptions): RetentionJob {
	const { logger, retentionDays, intervalMs = 60 * 60 * 1_000, batchSize = 500, now = Date.now } = options;
	let timer: NodeJS.Timeout | undefined;
	let running: Promise<RetentionCounts> | undefined;
	let stopped = false;

	async function deleteOld(): Promise<RetentionCounts> {
		const startedAt = now();
		const cutoff = startedAt - retentionDays * DAY_MS;
		let total = NO_RETENTION_COUNTS;
		for (;;) {
			const batch = await options.store.deleteBatch(cutoff, batchSize);
			total = {
				messages: total.messages + batch.messages,
				files: total.files + batch.files,
				blobs: total.blobs + batch.blobs,
				summaries: total.summaries + batch.summaries,
			};
			if (batch.selected < batchSize || stopped) break;
			await yieldToEventLoop();
		}
		if (total.messages > 0) {
			logger.info({ ...total, retentionDays, durationMs: now() - startedAt }, 'retention deleted old turns');
		}
		return total;
	}

	function runOnce(): Promise<RetentionCounts> {
		// One run at a time: an hourly tick during a long first run joins it.
		running ??= deleteOld().finally(() => {
			running = undefined;
		});
		return running;
	}

	function tick(): void {
		runOnce().catch((error: unknown) => {
			logger.error({ err: error }, 'retention run failed');
		});
	}

	return {
		start() {
			if (timer !== undefined) return;
			stopped = false;
			tick();
			timer = setInterval(tick, intervalMs);
			timer.unref();
		},
		async stop() {
			stopped = true;
			clearInterval(timer);
			timer = undefined;
			await running?.catch(() => undefined);
		},
		runOnce,
	};
}
