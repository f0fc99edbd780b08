import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqliteDatabase } from './open-database.js';

/** The repository's `migrations/sqlite/` folder, from `src/store` and from `dist/store` alike. */
export const MIGRATIONS_DIRECTORY = fileURLToPath(new URL('../../../migrations/sqlite/', import.meta.url));

const MIGRATION_FILE = /^(\d+)_[\w-]+\.sql$/;

export type MigrationResult = { from: number; to: number };

/**
 * Applies `NNN_name.sql` files numbered above `PRAGMA user_version`, in order, one transaction each. Foreign keys
 * are off while a file runs (so a file may rebuild a table, as SQLite's ALTER TABLE guide does) and checked before
 * its transaction commits.
 */
export function migrate(db: SqliteDatabase, directory: string): MigrationResult {
	const from = db.pragma('user_version', { simple: true }) as number;
	const files = readdirSync(directory)
		.map((name) => ({ name, version: Number(MIGRATION_FILE.exec(name)?.[1]) }))
		.filter((file) => Number.isInteger(file.version))
		.sort((a, b) => a.version - b.version);
	const versions = files.map((file) => file.version);
	if (new Set(versions).size !== versions.length) throw new Error(`Duplicate migration numbers in ${directory}`);
	const latest = versions.at(-1) ?? 0;
	if (from > latest) {
		throw new Error(`Database schema version ${from} is newer than this build knows (${latest}); upgrade gemthread`);
	}
	const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
	// Only takes effect outside a transaction.
	db.pragma('foreign_keys = OFF');
	try {
		for (const file of files) {
			if (file.version <= from) continue;
			const sql = readFileSync(join(directory, file.name), 'utf8');
			db.transaction(() => {
				db.exec(sql);
				const broken = db.pragma('foreign_key_check') as unknown[];
				if (broken.length > 0) throw new Error(`Migration ${file.name} breaks ${broken.length} foreign key(s)`);
				// PRAGMA cannot take a bound parameter; the version is an integer parsed above.
				db.pragma(`user_version = ${file.version}`);
			})();
		}
	} finally {
		db.pragma(`foreign_keys = ${foreignKeys === 1 ? 'ON' : 'OFF'}`);
	}
	return { from, to: Math.max(from, latest) };
}
