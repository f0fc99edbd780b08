import type { BenchBackend } from './backend.js';
import type { BenchBot, BenchProvider } from './bench-bot.js';
import { startBenchBot } from './bench-bot.js';
import type { Environment } from '../src/config/config.js';
import type { Target } from './targets.js';

export type ScenarioResult = {
	/** Exactly what ran: sizes, timings, settings. */
	readonly setup: string;
	readonly header: readonly string[];
	readonly rows: readonly (readonly string[])[];
	/** Why the scenario did not complete as expected; empty when it did. */
	readonly failures: readonly string[];
	/** The product targets this scenario measures, each printed as a PASS or MISS line. */
	readonly targets?: readonly Target[];
};

export type Scenario = {
	readonly name: string;
	/** The workload's letter in BENCHMARKS.md; `npm run bench -- b` runs it too. */
	readonly letter: string;
	readonly title: string;
	/**
	 * Its bots run on BENCH_BACKEND, which the bench then names in its title and in each of its targets. Workloads
	 * that choose their backends themselves name them in their own rows and targets.
	 */
	readonly onBenchBackend?: boolean;
	run(): Promise<ScenarioResult>;
};

/** Runs `body` against a fresh bot and fakes (BENCH_BACKEND unless `backend`), always closing them afterwards. */
export async function withBenchBot<T>(
	env: Environment,
	body: (bench: BenchBot) => Promise<T>,
	provider: BenchProvider = 'gemini',
	backend?: BenchBackend,
): Promise<T> {
	const bench = await startBenchBot(env, provider, backend);
	try {
		return await body(bench);
	} finally {
		await bench.close();
	}
}

/** Adds `message` to `failures` unless `ok`. */
export function check(failures: string[], ok: boolean, message: string): void {
	if (!ok) failures.push(message);
}
