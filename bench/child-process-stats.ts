import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { ms } from './stats.js';

/** USER_HZ: the unit of /proc's CPU times (100 on nearly every Linux). */
const TICKS_PER_SECOND = ((): number => {
	try {
		const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
		return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
	} catch {
		return 100;
	}
})();

/**
 * CPU time (user + system, every thread) another process has used so far, in ms, from /proc/<pid>/stat: Linux only,
 * in steps of 1000 / USER_HZ ms. `process.cpuUsage` sees only the process that calls it.
 */
export function processCpuMs(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	// The command name (field 2) is in parentheses and may hold spaces: fields 14 and 15 count from after it.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** Another process's resident memory in bytes (VmRSS of /proc/<pid>/status); NaN when it cannot be read. */
export function processRssBytes(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
	return kib === undefined ? Number.NaN : Number(kib) * 1024;
}

export const mib = (bytes: number): string => (Number.isFinite(bytes) ? `${Math.round(bytes / 2 ** 20)} MiB` : 'n/a');

/**
 * Loaded with `--import` before the bot: a first SIGUSR2 starts an event-loop delay histogram (10 ms timer), the
 * next writes its percentiles (ms) to BENCH_LOOP_DELAY_FILE. Plain JavaScript in a data: URL, because NODE_OPTIONS
 * imports load before the TypeScript loader the bot's process starts with.
 */
const PROBE = `
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeFileSync } from 'node:fs';
const file = process.env.BENCH_LOOP_DELAY_FILE;
if (file) {
	const histogram = monitorEventLoopDelay({ resolution: 10 });
	let on = false;
	process.on('SIGUSR2', () => {
		if (!on) {
			histogram.reset();
			histogram.enable();
			on = true;
			return;
		}
		histogram.disable();
		on = false;
		const at = (value) => value / 1e6;
		writeFileSync(file, JSON.stringify({ p50: at(histogram.percentile(50)), p99: at(histogram.percentile(99)), max: at(histogram.max) }));
	});
}
`;

/** Event-loop delay of another process, in ms, as `monitorEventLoopDelay` reports it (10 ms = no delay at all). */
export type LoopDelay = { readonly p50: number; readonly p99: number; readonly max: number };

/** "p50 / p99 / max" of a LoopDelay; n/a when the probe did not answer. */
export function loopDelayText(delay: LoopDelay | undefined): string {
	return delay ? `${ms(delay.p50)} / ${ms(delay.p99)} / ${ms(delay.max)}` : 'n/a';
}

/** The environment that loads the probe into a spawned Node process, which then writes its results to `file`. */
export function loopDelayProbeEnv(file: string): Record<string, string> {
	return {
		NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(PROBE)}`,
		BENCH_LOOP_DELAY_FILE: file,
	};
}

/** Starts the probe's histogram in process `pid` (started with `loopDelayProbeEnv(file)`). */
export function startLoopDelay(pid: number, file: string): void {
	rmSync(file, { force: true });
	process.kill(pid, 'SIGUSR2');
}

/** Stops it and reads what it measured since `startLoopDelay`; undefined when it did not answer within 2 s. */
export async function stopLoopDelay(pid: number, file: string): Promise<LoopDelay | undefined> {
	process.kill(pid, 'SIGUSR2');
	for (let attempt = 0; attempt < 100; attempt += 1) {
		try {
			const value = JSON.parse(readFileSync(file, 'utf8')) as LoopDelay;
			rmSync(file, { force: true });
			return value;
		} catch {
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
	}
	return undefined;
}

/**
 * The moment process `pid` last used CPU before it stayed idle for `quietMs` (sampled every 20 ms from /proc): when a
 * burst of work it was given ended, whatever the work waited on in between.
 */
export async function lastBusyBeforeQuiet(pid: number, quietMs: number): Promise<number> {
	let cpu = processCpuMs(pid);
	let busyAt = Date.now();
	while (Date.now() - busyAt < quietMs) {
		await new Promise((resolve) => setTimeout(resolve, 20));
		const now = processCpuMs(pid);
		if (now > cpu) busyAt = Date.now();
		cpu = now;
	}
	return busyAt;
}
