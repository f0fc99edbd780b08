import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIRECTORY, migrate } from '../../src/store/sqlite/migrate.js';
import { openDatabase } from '../../src/store/sqlite/open-database.js';
import { migratePostgres, POSTGRES_MIGRATIONS_DIRECTORY } from '../../src/store/postgres/migrate-postgres.js';
import { openPool } from '../../src/store/postgres/open-pool.js';
import { BACKENDS, postgresProblem, TEST_DATABASE_URL } from './backends.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A pool whose connections use a schema of their own, dropped after the test. */
async function schemaPool(): Promise<pg.Pool> {
	if (postgresProblem !== undefined) throw new Error(postgresProblem);
	const schema = `gt_${randomBytes(6).toString('hex')}`;
	const pool = openPool({ url: TEST_DATABASE_URL, size: 2, searchPath: schema });
	await pool.query(`CREATE SCHEMA ${schema}`);
	cleanups.push(async () => {
		await pool.query(`DROP SCHEMA ${schema} CASCADE`);
		await pool.end();
	});
	return pool;
}

function migrations(files: Record<string, string>): string {
	const directory = mkdtempSync(join(tmpdir(), 'gemthread-pg-migrations-'));
	for (const [name, text] of Object.entries(files)) writeFileSync(join(directory, name), text);
	cleanups.push(() => {
		rmSync(directory, { recursive: true, force: true });
	});
	return directory;
}

const version = async (pool: pg.Pool) =>
	(await pool.query<{ version: number }>('SELECT version FROM schema_version')).rows[0]?.version;

describe('migration files', () => {
	it.each([MIGRATIONS_DIRECTORY, POSTGRES_MIGRATIONS_DIRECTORY])('ships only numbered files in %s', (directory) => {
		const names = readdirSync(directory);
		expect(names.length).toBeGreaterThan(0);
		expect(names.every((name) => /^\d{3}_[\w-]+\.sql$/.test(name))).toBe(true);
	});
});

describe.runIf(BACKENDS.some((backend) => backend.name === 'postgres'))('migratePostgres', () => {
	it('applies numbered files in order once, tracking the version in schema_version', async () => {
		const pool = await schemaPool();
		const directory = migrations({
			'002_second.sql': 'ALTER TABLE things ADD COLUMN label TEXT;',
			'001_first.sql': 'CREATE TABLE things (id BIGINT PRIMARY KEY);',
			'README.md': 'not a migration',
		});
		expect(await migratePostgres(pool, directory)).toEqual({ from: 0, to: 2 });
		expect(await migratePostgres(pool, directory)).toEqual({ from: 2, to: 2 });
		expect((await pool.query('SELECT label FROM things')).rows).toEqual([]);
		expect(await version(pool)).toBe(2);
	});

	it('rolls back a failing migration entirely and keeps the previous version', async () => {
		const pool = await schemaPool();
		const directory = migrations({
			'001_first.sql': 'CREATE TABLE things (id BIGINT PRIMARY KEY);',
			'002_broken.sql': 'CREATE TABLE other (id BIGINT); THIS IS NOT SQL;',
		});
		await expect(migratePostgres(pool, directory)).rejects.toThrow(/002_broken\.sql/);
		expect(await version(pool)).toBe(1);
		expect((await pool.query(`SELECT to_regclass('other') AS found`)).rows).toEqual([{ found: null }]);
	});

	it('refuses a database newer than the code', async () => {
		const pool = await schemaPool();
		await migratePostgres(pool);
		await pool.query('UPDATE schema_version SET version = 99');
		await expect(migratePostgres(pool)).rejects.toThrow(/newer than this build/);
	});

	it('lets two processes starting at once take turns: each file runs once', async () => {
		const pool = await schemaPool();
		const other = openPool({ url: TEST_DATABASE_URL, size: 1, searchPath: await currentSchema(pool) });
		cleanups.push(() => other.end());
		// Not idempotent: a second run of it would fail.
		const directory = migrations({ '001_first.sql': 'CREATE TABLE things (id BIGINT); SELECT pg_sleep(0.05);' });
		const results = await Promise.all([migratePostgres(pool, directory), migratePostgres(other, directory)]);
		expect(results.map((result) => result.from).sort()).toEqual([0, 1]);
	});

	it('creates the same tables, columns, keys and indexes as the SQLite migrations', async () => {
		const pool = await schemaPool();
		await migratePostgres(pool);
		const sqlite = openDatabase(':memory:');
		migrate(sqlite, MIGRATIONS_DIRECTORY);
		expect(await postgresShape(pool)).toEqual(sqliteShape(sqlite));
		sqlite.close();
	});
});

async function currentSchema(pool: pg.Pool): Promise<string> {
	return (await pool.query<{ schema: string }>('SELECT current_schema() AS schema')).rows[0]!.schema;
}

type Shape = { columns: string[]; foreignKeys: string[]; indexes: string[] };

function sqliteShape(db: ReturnType<typeof openDatabase>): Shape {
	const tables = db
		.prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
		.all()
		.map((row) => row.name);
	const columns = tables.flatMap((table) =>
		db
			.prepare<[], { name: string; notnull: number; pk: number }>(`PRAGMA table_info(${table})`)
			.all()
			.map((column) => `${table}.${column.name}${column.notnull === 1 || column.pk > 0 ? ' NOT NULL' : ''}`),
	);
	const foreignKeys = tables.flatMap((table) =>
		db
			.prepare<[], { table: string; from: string; to: string; on_delete: string }>(`PRAGMA foreign_key_list(${table})`)
			.all()
			.map((key) => `${table}.${key.from} -> ${key.table}.${key.to} ON DELETE ${key.on_delete}`),
	);
	const indexes = db
		.prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL`)
		.all()
		.map((row) => row.name);
	return { columns: columns.sort(), foreignKeys: foreignKeys.sort(), indexes: indexes.sort() };
}

async function postgresShape(pool: pg.Pool): Promise<Shape> {
	const columns = await pool.query<{ name: string }>(
		`SELECT table_name || '.' || column_name || CASE WHEN is_nullable = 'NO' THEN ' NOT NULL' ELSE '' END AS name
		 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name != 'schema_version'`,
	);
	const foreignKeys = await pool.query<{ name: string }>(
		`SELECT source.relname || '.' || source_column.attname || ' -> ' || target.relname || '.' || target_column.attname
			|| ' ON DELETE ' || CASE constraint_row.confdeltype WHEN 'c' THEN 'CASCADE' ELSE 'NO ACTION' END AS name
		 FROM pg_constraint AS constraint_row
		 JOIN pg_class AS source ON source.oid = constraint_row.conrelid
		 JOIN pg_class AS target ON target.oid = constraint_row.confrelid
		 JOIN pg_attribute AS source_column ON source_column.attrelid = source.oid
			AND source_column.attnum = constraint_row.conkey[1]
		 JOIN pg_attribute AS target_column ON target_column.attrelid = target.oid
			AND target_column.attnum = constraint_row.confkey[1]
		 WHERE constraint_row.contype = 'f' AND constraint_row.connamespace = current_schema()::regnamespace`,
	);
	// Indexes made by CREATE INDEX: not those behind primary keys and UNIQUE constraints, which SQLite makes itself.
	const indexes = await pool.query<{ name: string }>(
		`SELECT indexname AS name FROM pg_indexes
		 WHERE schemaname = current_schema() AND indexname NOT IN (SELECT conname FROM pg_constraint)`,
	);
	const names = (result: pg.QueryResult<{ name: string }>) => result.rows.map((row) => row.name).sort();
	return { columns: names(columns), foreignKeys: names(foreignKeys), indexes: names(indexes) };
}
