import PQueue from 'p-queue';

/** Every model call runs inside one task of this queue, from the request until the stream ends. */
export type ModelQueue = {
	/**
	 * Runs `task` once a slot is free; rejects with the signal's reason if aborted while still waiting.
	 * Higher `priority` goes first (retries, so a reply already in progress is not sent to the back).
	 */
	run<T>(task: () => Promise<T>, options?: { signal?: AbortSignal | undefined; priority?: number }): Promise<T>;
	/** Starts nothing new for `ms` (a 429 said so); streams already running go on. */
	pauseFor(ms: number): void;
	/** Tasks waiting for a slot. */
	readonly waiting: number;
	onIdle(): Promise<void>;
	/** Drops the waiting tasks and the pause timer (shutdown). */
	clear(): void;
};

/**
 * Gemini counts requests per minute when they arrive, and arrival jitters by up to a few hundred ms after a task
 * starts (measured with `npm run bench`): the window is a second longer than a minute so that no minute at
 * Gemini's end ever sees more than requestsPerMinute.
 */
export const RATE_WINDOW_MS = 61_000;

export function createModelQueue(options: { concurrency: number; requestsPerMinute: number }): ModelQueue {
	// strict = a sliding window: never more than requestsPerMinute starts in any RATE_WINDOW_MS.
	const queue = new PQueue({
		concurrency: options.concurrency,
		intervalCap: options.requestsPerMinute,
		interval: RATE_WINDOW_MS,
		strict: true,
	});
	let resumeAt = 0;
	let resumeTimer: NodeJS.Timeout | undefined;

	return {
		run: (task, options = {}) => queue.add(task, { signal: options.signal, priority: options.priority ?? 0 }),
		pauseFor(ms) {
			const until = Date.now() + ms;
			if (until <= resumeAt) return;
			resumeAt = until;
			queue.pause();
			clearTimeout(resumeTimer);
			resumeTimer = setTimeout(() => {
				resumeTimer = undefined;
				queue.start();
			}, ms);
		},
		get waiting() {
			return queue.size;
		},
		onIdle: () => queue.onIdle(),
		clear() {
			clearTimeout(resumeTimer);
			queue.clear();
			queue.start();
		},
	};
}
