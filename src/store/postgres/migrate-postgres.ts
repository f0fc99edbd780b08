import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import type { MigrationResult } from '../sqlite/migrate.js';

/** The repository's `migrations/postgres/` folder, from `src/store/postgres` and `dist/store/postgres` alike. */
export const POSTGRES_MIGRATIONS_DIRECTORY = fileURLToPath(new URL('../../../migrations/postgres/', import.meta.url));

const MIGRATION_FILE = /^(\d+)_[\w-]+\.sql$/;
// With the schema's hash as the second key: the lock is per schema, as the migrations are.
const LOCK_KEY = 0x67_74;
const SCHEMA_KEY = `hashtext(coalesce(current_schema(), ''))`;

/**
 * Applies `NNN_name.sql` files numbered above the version in `schema_version`, in order, one transaction each, like
 * the SQLite runner (migrate.ts). An advisory lock makes processes starting at once take turns: the second finds the
 * work done. Refuses a database whose version is newer than this build's files.
 */
export async function migratePostgres(
	pool: pg.Pool,
	directory: string = POSTGRES_MIGRATIONS_DIRECTORY,
): Promise<MigrationResult> {
	const files = migrationFiles(directory);
	const latest = files.at(-1)?.version ?? 0;
	const client = await pool.connect();
	let broken = false;
	try {
		await client.query(`SELECT pg_advisory_lock($1, ${SCHEMA_KEY})`, [LOCK_KEY]);
		try {
			return await migrateLocked(client, directory, files, latest);
		} finally {
			await client.query(`SELECT pg_advisory_unlock($1, ${SCHEMA_KEY})`, [LOCK_KEY]);
		}
	} catch (error) {
		// A connection that failed mid-way may still hold the lock: closing it lets the lock go.
		broken = true;
		throw error;
	} finally {
		client.release(broken);
	}
}

type MigrationFile = { name: string; version: number };

async function migrateLocked(
	client: pg.PoolClient,
	directory: string,
	files: readonly MigrationFile[],
	latest: number,
): Promise<MigrationResult> {
	await client.query(
		`CREATE TABLE IF NOT EXISTS schema_version (
			only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
			version INTEGER NOT NULL
		)`,
	);
	const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_version');
	const from = rows[0]?.version ?? 0;
	if (from > latest) {
		throw new Error(`Database schema version ${from} is newer than this build knows (${latest}); upgrade gemthread`);
	}
	for (const file of files) {
		if (file.version <= from) continue;
		const sql = readFileSync(join(directory, file.name), 'utf8');
		await client.query('BEGIN');
		try {
			await client.query(sql);
			await client.query(
				`INSERT INTO schema_version (version) VALUES ($1)
				 ON CONFLICT (only_row) DO UPDATE SET version = excluded.version`,
				[file.version],
			);
			await client.query('COMMIT');
		} catch (error) {
			await client.query('ROLLBACK');
			throw new Error(`Migration ${file.name} failed: ${error instanceof Error ? error.message : String(error)}`, {
				cause: error,
			});
		}
	}
	return { from, to: Math.max(from, latest) };
}

function migrationFiles(directory: string): MigrationFile[] {
	const files = readdirSync(directory)
		.map((name) => ({ name, version: Number(MIGRATION_FILE.exec(name)?.[1]) }))
		.filter((file) => Number.isInteger(file.version))
		.sort((a, b) => a.version - b.version);
	const versions = files.map((file) => file.version);
	if (new Set(versions).size !== versions.length) throw new Error(`Duplicate migration numbers in ${directory}`);
	return files;
}
