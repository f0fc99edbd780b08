import type { Redis } from 'ioredis';
import type { Logger } from '../../log/logger.js';

const PROBE_AFTER_MS = 1_000;

/** Whether Redis answers, as the limits see it; logs once when it goes away and once when it is back. */
export type RedisHealth = {
	/** Whether to ask Redis now: the connection is up and its last command did not fail. */
	usable(): boolean;
	/** A command failed: the local shares answer until Redis does again. */
	readonly fault: (error: unknown) => void;
	/** ms since Redis came back: 0 while it is away, Infinity if it never was. */
	msSinceBack(): number;
	/** Runs `hook` whenever Redis is back, before any other command: to hand over what was counted meanwhile. */
	onBack(hook: () => void): void;
	state(): 'shared' | 'degraded';
	close(): void;
};

export function createRedisHealth(
	redis: Redis,
	options: { readonly logger: Logger; readonly processes: number; readonly now: () => number },
): RedisHealth {
	const { logger, processes, now } = options;
	const hooks: (() => void)[] = [];
	let away = false;
	let closing = false;
	let backAt = Number.NEGATIVE_INFINITY;
	let lastError: unknown;
	let probe: NodeJS.Timeout | undefined;

	const goAway = (error: unknown): void => {
		if (closing || away) return;
		away = true;
		logger.warn({ err: error, processes }, 'Redis unreachable: each process keeps 1/P of every limit until it is back');
	};
	const comeBack = (): void => {
		if (closing) return;
		for (const hook of hooks) hook();
		if (!away) return;
		away = false;
		backAt = now();
		logger.info({ processes }, 'Redis is back: the limits are shared again');
	};
	const fault = (error: unknown): void => {
		goAway(error);
		// A command that timed out leaves the connection up, so no 'ready' will come: ask Redis again in a while.
		if (redis.status !== 'ready' || probe !== undefined || closing) return;
		probe = setTimeout(() => {
			probe = undefined;
			redis.ping().then(comeBack, fault);
		}, PROBE_AFTER_MS);
		probe.unref();
	};
	// ioredis reports every failed reconnection as an 'error' event; without a listener it would print them.
	redis.on('error', (error: unknown) => (lastError = error));
	redis.on('close', () => {
		goAway(lastError);
	});
	redis.on('ready', comeBack);

	return {
		usable: () => !away && redis.status === 'ready',
		fault,
		msSinceBack: () => (away ? 0 : now() - backAt),
		onBack: (hook) => hooks.push(hook),
		state: () => (away ? 'degraded' : 'shared'),
		close() {
			closing = true;
			clearTimeout(probe);
		},
	};
}
