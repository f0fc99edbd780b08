import { defineConfig } from 'vitest/config';
import pg from 'pg';

const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const IN_CI = ['true', '1'].includes(process.env['CI'] ?? '');

// End-to-end files that are about the SQLite file itself (DATABASE_PATH, its locks): not run again on PostgreSQL.
const SQLITE_ONLY = ['test/e2e/startup.test.ts', 'test/e2e/sqlite-*.test.ts'];

/** The end-to-end suite runs twice: on SQLite and, when PostgreSQL answers (always in CI), on PostgreSQL. */
export default defineConfig(async () => {
	const postgres = IN_CI || (await reachable(TEST_DATABASE_URL));
	if (!postgres) {
		process.stderr.write(
			`The end-to-end suite runs on SQLite only: no PostgreSQL at ${TEST_DATABASE_URL}. Start one, or set TEST_DATABASE_URL, to run it on PostgreSQL too.\n`,
		);
	}
	const shared = { environment: 'node', testTimeout: 20_000, hookTimeout: 20_000 } as const;
	return {
		test: {
			coverage: { include: ['src/**'] },
			projects: [
				{ test: { ...shared, name: 'sqlite', include: ['test/**/*.test.ts'], env: { TEST_BACKEND: 'sqlite' } } },
				...(postgres
					? [
							{
								test: {
									...shared,
									name: 'postgres',
									include: ['test/e2e/**/*.test.ts'],
									exclude: SQLITE_ONLY,
									env: { TEST_BACKEND: 'postgres' },
								},
							},
						]
					: []),
			],
		},
	};
});

async function reachable(url: string): Promise<boolean> {
	const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
	try {
		await client.connect();
		return true;
	} catch {
		return false;
	} finally {
		await client.end().catch(() => undefined);
	}
}
