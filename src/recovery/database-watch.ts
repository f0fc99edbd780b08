import type { Logger } from '../log/logger.js';

export type DatabaseWatch = {
	/** A store call found the database unreachable: watch until it answers again (once, however often told). */
	report(): void;
	/** Whether the database is thought unreachable right now. */
	readonly down: boolean;
	stop(): void;
};

/**
 * After an outage, probes the database every `intervalMs` until it can be written again, then runs `onBack` (the
 * catch-up, which answers what members wrote meanwhile, as after a restart).
 */
export function createDatabaseWatch(deps: {
	readonly probe: () => Promise<string | undefined>;
	readonly onBack: () => Promise<unknown>;
	readonly logger: Logger;
	/** @default 2_000 */
	readonly intervalMs?: number;
}): DatabaseWatch {
	const intervalMs = deps.intervalMs ?? 2_000;
	const state = { down: false, stopped: false, downSince: 0 };
	// A function, not the field: `stop()` may run while a probe is awaited, which narrowing would hide.
	const stopped = (): boolean => state.stopped;
	let timer: NodeJS.Timeout | undefined;

	const check = async (): Promise<void> => {
		timer = undefined;
		if (stopped()) return;
		const problem = await deps.probe().catch((error: unknown) => String(error));
		if (stopped()) return;
		if (problem !== undefined) {
			timer = setTimeout(() => void check(), intervalMs);
			return;
		}
		state.down = false;
		deps.logger.info({ downMs: Date.now() - state.downSince }, 'database is back: catching up on what was missed');
		await deps.onBack().catch((error: unknown) => {
			deps.logger.error({ err: error }, 'catch-up after the database came back failed');
		});
	};

	return {
		report() {
			if (state.down || state.stopped) return;
			state.down = true;
			state.downSince = Date.now();
			deps.logger.warn('database unreachable: replies fail until it is back');
			timer = setTimeout(() => void check(), intervalMs);
		},
		get down() {
			return state.down;
		},
		stop() {
			state.stopped = true;
			clearTimeout(timer);
		},
	};
}
