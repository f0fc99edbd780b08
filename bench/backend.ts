import type { Target } from './targets.js';

/** The database behind the bot's stores: a SQLite file (DATABASE_PATH) or PostgreSQL (DATABASE_URL). */
export type BenchBackend = 'sqlite' | 'postgres';

/** Both, in the order workloads that run on each report them. */
export const BACKENDS: readonly BenchBackend[] = ['sqlite', 'postgres'];

const NAMES: Record<BenchBackend, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

export const backendName = (backend: BenchBackend): string => NAMES[backend];

/**
 * BENCH_BACKEND: where the bots of workloads that run on one backend keep their data, `sqlite` (the default, a temp
 * file) or `postgres` (a schema of its own on TEST_DATABASE_URL, dropped after). Throws on any other value.
 */
export function benchBackend(value = process.env['BENCH_BACKEND']): BenchBackend {
	if (value === undefined || value === '' || value === 'sqlite') return 'sqlite';
	if (value === 'postgres') return 'postgres';
	throw new Error(`BENCH_BACKEND must be sqlite or postgres, not ${JSON.stringify(value)}`);
}

/** The target, its label ending in the backend it ran on: "… median ≤ 100 ms [PostgreSQL]". */
export function onBackend(backend: BenchBackend, target: Target): Target {
	return { ...target, label: `${target.label} [${backendName(backend)}]` };
}

/** An error's message (PostgreSQL unreachable, say), for a failure line that names the backend. */
export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Runs `body` on SQLite, then on PostgreSQL, each with a failure list of its own whose lines end up in `failures`
 * naming the backend. A backend whose body throws (PostgreSQL unreachable, say) adds the error as a failure and has
 * no result; the other still runs.
 */
export async function onEachBackend<T>(
	failures: string[],
	body: (backend: BenchBackend, failures: string[]) => Promise<T>,
): Promise<Map<BenchBackend, T>> {
	const results = new Map<BenchBackend, T>();
	for (const backend of BACKENDS) {
		const own: string[] = [];
		try {
			results.set(backend, await body(backend, own));
		} catch (error) {
			own.push(errorText(error));
		}
		failures.push(...own.map((failure) => `${backendName(backend)}: ${failure}`));
	}
	return results;
}
