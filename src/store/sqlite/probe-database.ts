import type { SqliteDatabase } from './open-database.js';

// Short, so that a database locked by another process fails the check at once instead of blocking the event loop
// (better-sqlite3 is synchronous) for the connection's own busy_timeout of 5 s on every check.
const PROBE_BUSY_TIMEOUT_MS = 200;

/**
 * Whether the bot could write to the database now: undefined if so, otherwise the error. It takes the write lock
 * (`BEGIN IMMEDIATE`), writes `user_version` back unchanged and rolls back, so nothing reaches the disk. That
 * catches a closed connection, a read-only file or mount (SQLITE_READONLY: `BEGIN IMMEDIATE` alone passes on a
 * read-only connection) and a lock held elsewhere (SQLITE_BUSY); a full disk shows only on a committed write.
 */
export function probeDatabase(db: SqliteDatabase): string | undefined {
	try {
		const busyTimeout = Number(db.pragma('busy_timeout', { simple: true }));
		db.pragma(`busy_timeout = ${PROBE_BUSY_TIMEOUT_MS}`);
		try {
			writeAndRollBack(db);
		} finally {
			db.pragma(`busy_timeout = ${busyTimeout}`);
		}
		return undefined;
	} catch (error) {
		return error instanceof Error ? error.message : String(error);
	}
}

function writeAndRollBack(db: SqliteDatabase): void {
	db.exec('BEGIN IMMEDIATE');
	try {
		const version = Number(db.pragma('user_version', { simple: true }));
		db.pragma(`user_version = ${version}`);
	} finally {
		// SQLite rolls back by itself after some errors; a ROLLBACK then would throw and hide the real one.
		if (db.inTransaction) db.exec('ROLLBACK');
	}
}
