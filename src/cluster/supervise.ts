import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import type { Logger } from '../log/logger.js';

export type Worker = { readonly name: string; readonly env: Readonly<Record<string, string>> };

// A process that died is started again after 1 s, then 2, 4… up to 30 s while it keeps dying soon after starting.
const FIRST_RESTART_MS = 1_000;
const MAX_RESTART_MS = 30_000;
// Alive this long: it was not a crash loop, so the next restart waits 1 s again.
const STABLE_MS = 60_000;

/**
 * Runs `entry` once per worker, each with its own environment, and starts one that exits (a crash, a kill) again
 * with a growing delay. `stop()` sends SIGTERM to every worker and resolves once all have exited.
 */
export function supervise(entry: string, workers: readonly Worker[], logger: Logger): { stop(): Promise<void> } {
	let stopping = false;
	const running = new Map<string, ChildProcess>();
	const timers = new Set<NodeJS.Timeout>();

	const start = (worker: Worker, delayMs: number): void => {
		const startedAt = Date.now();
		const child = fork(entry, [], { env: { ...process.env, ...worker.env }, stdio: 'inherit' });
		running.set(worker.name, child);
		logger.info({ worker: worker.name, pid: child.pid, ...worker.env }, 'cluster process started');
		child.on('exit', (code, signal) => {
			running.delete(worker.name);
			if (stopping) return;
			const stable = Date.now() - startedAt >= STABLE_MS;
			const wait = stable ? FIRST_RESTART_MS : Math.min(delayMs * 2, MAX_RESTART_MS);
			logger.warn({ worker: worker.name, code, signal, restartInMs: wait }, 'cluster process exited: restarting it');
			const timer = setTimeout(() => {
				timers.delete(timer);
				if (!stopping) start(worker, wait);
			}, wait);
			timers.add(timer);
		});
	};

	for (const worker of workers) start(worker, FIRST_RESTART_MS / 2);
	return {
		async stop() {
			stopping = true;
			for (const timer of timers) clearTimeout(timer);
			const exits = [...running.values()].map(
				(child) =>
					new Promise<void>((resolve) =>
						child.once('exit', () => {
							resolve();
						}),
					),
			);
			for (const child of running.values()) child.kill('SIGTERM');
			await Promise.all(exits);
		},
	};
}
