import { mkdtempSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, PostgresDialect, sql, SqliteDialect } from 'kysely';
import { createLogger } from '../src/log/logger.js';
import type { Schema } from '../src/store/kysely/schema.js';
import { openDatabase } from '../src/store/sqlite/open-database.js';
import type { OpenedStores } from '../src/store/ports/stores.js';
import { openStores } from '../src/store/open-stores.js';
import { openPool } from '../src/store/postgres/open-pool.js';
import { createTestSchema, TEST_DATABASE_URL } from '../test/support/postgres.js';
import type { BenchBackend } from './backend.js';

/** The stores on one backend, without a bot, for workloads that time the stores themselves. */
export type BenchStores = {
	readonly backend: BenchBackend;
	/** What the bot opens: `openStores`, migrations applied. */
	readonly stores: OpenedStores;
	/** A connection of its own to the same database, for writing a workload's rows in bulk. */
	readonly db: Kysely<Schema>;
	/** Which database this is, for a setup line: "SQLite 3.50.4, a temp file (WAL)". */
	readonly description: string;
	/** What the database takes on disk, for a setup line: "12.3 MiB (the file and its WAL)". */
	size(): Promise<string>;
	close(): Promise<void>;
};

const logger = createLogger('silent');
const mebibytes = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

async function version(db: Kysely<Schema>, query: 'select sqlite_version()' | 'show server_version'): Promise<string> {
	const { rows } = await sql<Record<string, string>>`${sql.raw(query)}`.execute(db);
	// PostgreSQL adds its build after a space: "15.20 (Debian 15.20-0+deb12u1)".
	return (Object.values(rows[0] ?? {})[0] ?? '?').split(' ')[0] ?? '?';
}

/**
 * Fresh stores on `backend`: a SQLite file in a temp folder, or a PostgreSQL schema of its own on TEST_DATABASE_URL
 * (the one the tests and the bench's bots use); `close()` removes the folder or drops the schema. Throws, saying why,
 * when PostgreSQL cannot be reached.
 */
export async function openBenchStores(backend: BenchBackend): Promise<BenchStores> {
	return backend === 'sqlite' ? openSqlite() : openPostgres();
}

/** The result of `work`; if it fails, `undo` runs first (closing what was opened before it). */
async function undoingOnError<T>(undo: () => Promise<void>, work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		await undo();
		throw error;
	}
}

async function openSqlite(): Promise<BenchStores> {
	const folder = mkdtempSync(join(tmpdir(), 'gemthread-bench-stores-'));
	const path = join(folder, 'gemthread.db');
	const removeFolder = async (): Promise<void> => {
		await rm(folder, { recursive: true, force: true });
	};
	const stores = await undoingOnError(removeFolder, () => openStores({ databasePath: path, logger }));
	const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: openDatabase(path) }) });
	const close = async (): Promise<void> => {
		await db.destroy();
		await stores.database.close();
		await removeFolder();
	};
	const fileSize = (suffix: string): number => statSync(`${path}${suffix}`, { throwIfNoEntry: false })?.size ?? 0;
	return {
		backend: 'sqlite',
		stores,
		db,
		description: await undoingOnError(
			close,
			async () => `SQLite ${await version(db, 'select sqlite_version()')}, a temp file (WAL)`,
		),
		size: () => Promise.resolve(`${mebibytes(fileSize('') + fileSize('-wal'))} (the file and its WAL)`),
		close,
	};
}

async function openPostgres(): Promise<BenchStores> {
	const schema = await createTestSchema();
	const stores = await undoingOnError(
		() => schema.drop(),
		() => openStores({ databasePath: '', databaseUrl: schema.url, logger }),
	);
	const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool: openPool({ url: schema.url, size: 1 }) }) });
	const close = async (): Promise<void> => {
		await db.destroy();
		await stores.database.close();
		await schema.drop();
	};
	const server = new URL(TEST_DATABASE_URL);
	return {
		backend: 'postgres',
		stores,
		db,
		description: await undoingOnError(
			close,
			async () =>
				`PostgreSQL ${await version(db, 'show server_version')} at ${server.hostname}:${server.port || '5432'} ` +
				'(TEST_DATABASE_URL), a schema of its own',
		),
		async size() {
			const { rows } = await sql<{ bytes: number }>`select pg_total_relation_size('messages') as bytes`.execute(db);
			return `${mebibytes(rows[0]?.bytes ?? Number.NaN)} (messages with its indexes and TOAST)`;
		},
		close,
	};
}
