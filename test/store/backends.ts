import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { LogEvent } from 'kysely';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { DialectName } from '../../src/store/kysely/dialect.js';
import type { Schema } from '../../src/store/kysely/schema.js';
import { createKyselyStores } from '../../src/store/kysely/stores.js';
import { MIGRATIONS_DIRECTORY, migrate } from '../../src/store/sqlite/migrate.js';
import type { SqliteDatabase } from '../../src/store/sqlite/open-database.js';
import { openDatabase } from '../../src/store/sqlite/open-database.js';
import { migratePostgres } from '../../src/store/postgres/migrate-postgres.js';
import { openPool } from '../../src/store/postgres/open-pool.js';
import { POSTGRES_TESTS_RUN, postgresProblem, TEST_DATABASE_URL } from '../support/postgres.js';

export { postgresProblem, TEST_DATABASE_URL };
import { scrubFreePages } from '../../src/store/sqlite/scrub-free-pages.js';
import { withCachedStatements } from '../../src/store/sqlite/cached-statements.js';

export type Backend = { readonly name: DialectName };

/**
 * The backends every contract test runs on: SQLite always; PostgreSQL when it answers, and with CI=true also when
 * it does not (its tests then fail instead of being skipped).
 */
export const BACKENDS: readonly Backend[] = POSTGRES_TESTS_RUN
	? [{ name: 'sqlite' }, { name: 'postgres' }]
	: [{ name: 'sqlite' }];

export type Tables = keyof Schema;

/** One test's database: empty and migrated before each test, on the backend given. */
export type Harness = {
	readonly name: DialectName;
	/** Kysely over this test's database. */
	db(): Kysely<Schema>;
	/** The stores, with a clock of the test's choosing. */
	stores(now?: () => number): ReturnType<typeof createKyselyStores>;
	count(table: Tables): Promise<number>;
	/** Every query run since the test began, in order. */
	readonly queries: { sql: string; parameters: readonly unknown[] }[];
	/** SQLite only: the file and its better-sqlite3 connection. */
	sqlite(): { path: string; raw: SqliteDatabase };
	/** PostgreSQL only: the pool, whose connections use this file's own schema. */
	pool(): pg.Pool;
};

// Referring tables before the ones they refer to. DELETE rather than TRUNCATE: on these few rows it takes a
// millisecond, where TRUNCATE (new files for every table) takes a tenth of a second.
const TABLES: readonly Tables[] = [
	'turn_attachments',
	'attachment_blobs',
	'thread_summaries',
	'messages',
	'sessions',
	'personas',
	'channel_models',
	'bot_state',
	'usage_records',
	'model_settings',
];

/** Registers this describe block's hooks: a fresh database per test, cleaned up after. */
export function useBackend(backend: Backend): Harness {
	const queries: { sql: string; parameters: readonly unknown[] }[] = [];
	const log = (event: LogEvent) => {
		queries.push({ sql: event.query.sql, parameters: event.query.parameters });
	};
	let db: Kysely<Schema> | undefined;
	let sqliteFile: { path: string; raw: SqliteDatabase } | undefined;
	let pool: pg.Pool | undefined;

	if (backend.name === 'sqlite') {
		let folder = '';
		let template = '';
		let files = 0;
		beforeAll(() => {
			folder = mkdtempSync(join(tmpdir(), 'gemthread-contract-'));
			template = join(folder, 'template.db');
			const raw = openDatabase(template);
			migrate(raw, MIGRATIONS_DIRECTORY);
			raw.close();
		});
		beforeEach(() => {
			files += 1;
			const path = join(folder, `test-${files}.db`);
			copyFileSync(template, path);
			const raw = openDatabase(path);
			sqliteFile = { path, raw };
			db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withCachedStatements(raw) }), log });
		});
		afterEach(async () => {
			await db?.destroy();
			for (const suffix of ['', '-wal', '-shm']) rmSync(`${sqliteFile?.path ?? ''}${suffix}`, { force: true });
		});
		afterAll(() => {
			rmSync(folder, { recursive: true, force: true });
		});
	} else {
		const schema = `gt_${randomBytes(6).toString('hex')}`;
		beforeAll(async () => {
			if (postgresProblem !== undefined) throw new Error(postgresProblem);
			pool = openPool({ url: TEST_DATABASE_URL, size: 6, searchPath: schema });
			await pool.query(`CREATE SCHEMA ${schema}`);
			await migratePostgres(pool);
			db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }), log });
		});
		beforeEach(async () => {
			await pool?.query(TABLES.map((table) => `DELETE FROM ${table};`).join('\n'));
		});
		afterAll(async () => {
			await pool?.query(`DROP SCHEMA ${schema} CASCADE`);
			await db?.destroy();
		});
	}
	beforeEach(() => {
		queries.length = 0;
	});

	const current = () => {
		if (!db) throw new Error('no database: the backend was not set up');
		return db;
	};
	return {
		name: backend.name,
		db: current,
		stores(now) {
			const raw = sqliteFile?.raw;
			return createKyselyStores(current(), {
				dialect: backend.name,
				now,
				afterErase:
					backend.name === 'sqlite' && raw
						? async () => {
								await current()
									.connection()
									.execute(() => Promise.resolve(scrubFreePages(raw)));
							}
						: undefined,
			});
		},
		async count(table) {
			const row = await current()
				.selectFrom(table)
				.select((eb) => eb.fn.countAll<number>().as('rows'))
				.executeTakeFirstOrThrow();
			return row.rows;
		},
		queries,
		sqlite() {
			if (!sqliteFile) throw new Error('not a SQLite backend');
			return sqliteFile;
		},
		pool() {
			if (!pool) throw new Error('not a PostgreSQL backend');
			return pool;
		},
	};
}

/** Raw SQL for a test's own checks (an EXPLAIN, a forbidden row), on the test's database. */
export async function rawQuery<Row>(
	harness: Harness,
	text: string,
	parameters: readonly unknown[] = [],
): Promise<Row[]> {
	if (harness.name === 'sqlite')
		return harness
			.sqlite()
			.raw.prepare<unknown[], Row>(text)
			.all(...parameters);
	const result = await harness.pool().query<Row & pg.QueryResultRow>(text, [...parameters]);
	return result.rows;
}

/**
 * PostgreSQL's planner weighs an index against reading the whole table: a thread of `turns` rows (and fresh
 * statistics) gives it a table worth not reading, as a real one is.
 */
export async function padThread(harness: Harness, turns: number): Promise<void> {
	await rawQuery(harness, `INSERT INTO sessions VALUES ('padding', 'g', 'c', 'u', true, 0, 0)`);
	await rawQuery(
		harness,
		`INSERT INTO messages (thread_id, role, author_id, author_name, content, discord_message_id, created_at)
		 SELECT 'padding', 'user', 'u', 'U', repeat('x', 200), 'padding-' || n, n FROM generate_series(1, $1::int) AS n`,
		[turns],
	);
	await rawQuery(harness, 'ANALYZE sessions, messages');
}
