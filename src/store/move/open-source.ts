import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { MIGRATIONS_DIRECTORY, migrate } from '../sqlite/migrate.js';
import type { SqliteDatabase } from '../sqlite/open-database.js';
import { MOVE_TABLES, TABLE_ORDER } from './move-tables.js';
import type { TableName } from './move-tables.js';
import { MoveError } from './move-error.js';

/**
 * Opens the SQLite database at `path` read-only, and refuses one this build cannot copy whole: missing, at another
 * schema version, or with a table or column the copy does not know.
 *
 * A source at an older version is refused rather than upgraded here: move-data only reads the file, so it stays
 * exactly as it was, a way back if anything goes wrong. Starting the bot once on it (what `npm start` does anyway)
 * upgrades it; an upgrade is not something a copy tool should do behind the user's back.
 */
export function openSource(path: string): SqliteDatabase {
	if (!existsSync(path)) throw new MoveError(`No SQLite database at ${path}`);
	let db: SqliteDatabase;
	try {
		db = new Database(path, { readonly: true, fileMustExist: true });
		db.pragma('busy_timeout = 5000');
	} catch (error) {
		throw new MoveError(`Cannot open the SQLite database ${path}: ${messageOf(error)}`, { cause: error });
	}
	try {
		checkSourceSchema(db, path);
		return db;
	} catch (error) {
		db.close();
		if (error instanceof MoveError) throw error;
		throw new MoveError(`Cannot read the SQLite database ${path}: ${messageOf(error)}`, { cause: error });
	}
}

function checkSourceSchema(db: SqliteDatabase, path: string): void {
	const version = db.pragma('user_version', { simple: true }) as number;
	const latest = latestSqliteVersion();
	if (version < latest) {
		throw new MoveError(
			`${path} is at schema version ${version}, older than this build's ${latest}: start the bot once on it ` +
				'(with DATABASE_PATH pointing there) to upgrade it, stop it, and run move-data again',
		);
	}
	if (version > latest) {
		throw new MoveError(
			`${path} is at schema version ${version}, newer than this build knows (${latest}); upgrade gemthread`,
		);
	}
	const tables = db
		.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
		.pluck()
		.all() as string[];
	for (const table of tables) {
		if (!isKnownTable(table)) throw new MoveError(`${path} has a table this build cannot copy: ${table}`);
		const known = new Set(Object.keys(MOVE_TABLES[table]));
		const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[];
		const unknown = columns.filter((column) => !known.delete(column));
		if (unknown.length > 0 || known.size > 0) {
			const detail = [...unknown.map((c) => `unknown column ${c}`), ...[...known].map((c) => `no column ${c}`)];
			throw new MoveError(`${path}: table ${table} does not match this build (${detail.join(', ')})`);
		}
	}
	const missing = TABLE_ORDER.filter((table) => !tables.includes(table));
	if (missing.length > 0) throw new MoveError(`${path} has no table ${missing.join(', ')}`);
}

/** The version this build's SQLite migrations reach, from migrating an empty database in memory. */
function latestSqliteVersion(): number {
	const empty = new Database(':memory:');
	try {
		return migrate(empty, MIGRATIONS_DIRECTORY).to;
	} finally {
		empty.close();
	}
}

function isKnownTable(name: string): name is TableName {
	return Object.hasOwn(MOVE_TABLES, name);
}

export function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
