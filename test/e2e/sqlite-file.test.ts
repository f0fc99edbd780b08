import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { startWithHealth } from '../support/health-bot.js';
import { useTestBot } from '../support/use-test-bot.js';

// About the SQLite file itself, so not run again on PostgreSQL (see vitest.config.ts); PostgreSQL going away is in
// test/postgres/outage.test.ts.
const start = useTestBot();

describe('the SQLite file under another process', () => {
	it('turns /healthz 503 while another process holds the write lock, and 200 once it lets go', async () => {
		const { t, health } = await startWithHealth(start);
		const other = new Database(t.databasePath);
		try {
			other.exec('BEGIN IMMEDIATE');
			expect(await health()).toEqual({
				status: 503,
				body: {
					status: 'unhealthy',
					gateway: 'connected',
					database: 'database is locked',
					queue: { waiting: 0, running: 0 },
				},
			});
			other.exec('ROLLBACK');
			// The 503 is served for up to a second before the database is probed again.
			await vi.waitFor(async () => {
				expect(await health()).toMatchObject({ status: 200, body: { database: 'writable' } });
			}, 5_000);
		} finally {
			other.close();
		}
	});
});
