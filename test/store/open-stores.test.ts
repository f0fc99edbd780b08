import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseOpenError } from '../../src/store/sqlite/open-database.js';
import type { OpenedStores } from '../../src/store/ports/stores.js';
import { openStores } from '../../src/store/open-stores.js';
import { PostgresOpenError, probePostgres } from '../../src/store/postgres/open-postgres-stores.js';
import { describePostgresError, openPool } from '../../src/store/postgres/open-pool.js';
import { silentLogger } from '../support/silent-logger.js';
import { BACKENDS, TEST_DATABASE_URL } from './backends.js';

const opened: OpenedStores[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
	for (const stores of opened.splice(0)) await stores.database.close();
	for (const cleanup of cleanups.splice(0)) cleanup();
});

async function open(options: Parameters<typeof openStores>[0]): Promise<OpenedStores> {
	const stores = await openStores(options);
	opened.push(stores);
	return stores;
}

function databaseFile(): string {
	const folder = mkdtempSync(join(tmpdir(), 'gemthread-open-stores-'));
	cleanups.push(() => {
		rmSync(folder, { recursive: true, force: true });
	});
	return join(folder, 'bot.db');
}

const SESSION = { threadId: 't1', guildId: 'g1', parentChannelId: 'c1', creatorId: 'u1', owned: true };

describe('openStores on SQLite (DATABASE_PATH)', () => {
	it('creates and migrates the file, names it for backups, and keeps what was stored across a reopen', async () => {
		const path = databaseFile();
		const first = await open({ databasePath: path, logger: silentLogger });
		expect(first.database).toMatchObject({ backend: 'sqlite', path });
		await first.sessions.ensureSession(SESSION);
		await first.database.close();
		opened.length = 0;
		const second = await open({ databasePath: path, logger: silentLogger });
		expect((await second.sessions.getSession('t1'))?.creatorId).toBe('u1');
	});

	it('finds a healthy database writable, waiting for a transaction under way rather than failing', async () => {
		const path = databaseFile();
		const stores = await open({ databasePath: path, logger: silentLogger });
		await stores.sessions.ensureSession(SESSION);
		const [, probe] = await Promise.all([stores.forget.forget('t1'), stores.database.probe()]);
		expect(probe).toBeUndefined();
		expect(await stores.database.probe()).toBeUndefined();
	});

	it('reports a database another connection holds the write lock on, quickly, then recovers', async () => {
		const path = databaseFile();
		const stores = await open({ databasePath: path, logger: silentLogger });
		const other = new Database(path);
		cleanups.push(() => other.close());
		other.exec('BEGIN IMMEDIATE');
		const started = performance.now();
		expect(await stores.database.probe()).toBe('database is locked');
		expect(performance.now() - started).toBeLessThan(2_000);
		other.exec('ROLLBACK');
		expect(await stores.database.probe()).toBeUndefined();
	});

	it('reports a closed database', async () => {
		const stores = await open({ databasePath: databaseFile(), logger: silentLogger });
		await stores.database.close();
		opened.length = 0;
		expect(await stores.database.probe()).toBe('The database connection is not open');
	});

	it('refuses a path under a file with a DatabaseOpenError', async () => {
		const file = databaseFile();
		writeFileSync(file, 'not a folder');
		await expect(openStores({ databasePath: join(file, 'bot.db'), logger: silentLogger })).rejects.toBeInstanceOf(
			DatabaseOpenError,
		);
	});
});

describe('describePostgresError', () => {
	const url = 'postgres://bot:hunter2@db.example:6543/gemthread';
	const coded = (code: string, message: string) => Object.assign(new Error(message), { code });

	it.each([
		[coded('ECONNREFUSED', 'connect ECONNREFUSED'), /db\.example:6543 \(DATABASE_URL\) refused the connection/],
		[
			new AggregateError([coded('ECONNREFUSED', 'a'), coded('ECONNREFUSED', 'b')], ''),
			/db\.example:6543 \(DATABASE_URL\) refused the connection/,
		],
		[coded('28P01', 'password authentication failed for user "bot"'), /login of user "bot": authentication failed/],
		[coded('3D000', 'database "gemthread" does not exist'), /has no database "gemthread"/],
		[
			new Error('something odd hunter2\nat line two'),
			/^PostgreSQL at db\.example:6543 \(DATABASE_URL\): something odd \*\*\*$/,
		],
	])('names DATABASE_URL in one line without the password: %s', (error, expected) => {
		const line = describePostgresError(error, url);
		expect(line).toMatch(expected);
		expect(line).not.toContain('hunter2');
		expect(line).not.toContain('\n');
	});
});

describe.runIf(BACKENDS.some((backend) => backend.name === 'postgres'))(
	'openStores on PostgreSQL (DATABASE_URL)',
	() => {
		const schema = `gt_${randomBytes(6).toString('hex')}`;
		const admin = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
		const inSchema = (url: string, options = `-c search_path=${schema}`) =>
			`${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(options)}`;
		beforeAll(async () => {
			await admin.query(`CREATE SCHEMA ${schema}`);
		});
		afterAll(async () => {
			await admin.query(`DROP SCHEMA ${schema} CASCADE`);
			await admin.end();
		});

		it('migrates, stores, and finds the database writable', async () => {
			const stores = await open({
				databasePath: 'unused',
				databaseUrl: inSchema(TEST_DATABASE_URL),
				poolSize: 3,
				logger: silentLogger,
			});
			expect(stores.database.backend).toBe('postgres');
			await stores.sessions.ensureSession(SESSION);
			expect((await stores.sessions.getSession('t1'))?.owned).toBe(true);
			expect(await stores.database.probe()).toBeUndefined();
		});

		it('reports a database where the bot could not write (read-only transactions)', async () => {
			const readOnly = openPool({
				url: inSchema(TEST_DATABASE_URL, `-c search_path=${schema} -c default_transaction_read_only=on`),
				size: 1,
			});
			cleanups.push(() => void readOnly.end());
			expect(await probePostgres(readOnly, TEST_DATABASE_URL)).toBe(
				'the database is read-only (transaction_read_only)',
			);
			expect(await probePostgres(readOnly, TEST_DATABASE_URL)).toBe(
				'the database is read-only (transaction_read_only)',
			);
		});

		it('says in one line, naming DATABASE_URL, when the server refuses the connection or the database is missing', async () => {
			const refused = 'postgres://postgres:s3cret@127.0.0.1:1/test';
			const error = await openStores({ databasePath: 'unused', databaseUrl: refused, logger: silentLogger }).catch(
				(caught: unknown) => caught,
			);
			expect(error).toBeInstanceOf(PostgresOpenError);
			expect((error as Error).message).toBe(
				'PostgreSQL at 127.0.0.1:1 (DATABASE_URL) refused the connection: is the server running and listening there?',
			);
			const missing = new URL(TEST_DATABASE_URL);
			missing.pathname = `/${schema}_missing`;
			const absent = await openStores({
				databasePath: 'unused',
				databaseUrl: missing.href,
				logger: silentLogger,
			}).catch((caught: unknown) => caught);
			expect((absent as Error).message).toMatch(new RegExp(`has no database "${schema}_missing"`));
		});
	},
);
