import type { SqliteDatabase } from './open-database.js';

/**
 * After content is deleted or overwritten: `secure_delete` (set when the database opens) has zeroed the freed space in
 * the pages written, but the WAL still holds the earlier versions of those pages until a checkpoint copies the new ones
 * back and truncates it. Returns false when a reader (a backup, say) kept the checkpoint from finishing; the next one
 * does.
 */
export function scrubFreePages(db: SqliteDatabase): boolean {
	const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
	return result?.busy !== 1;
}

/** The schema version from which deleted text is zeroed (secure_delete) and erased turns are tombstones. */
const ERASING_SINCE_VERSION = 8;

/**
 * A database upgraded from before secure_delete still has text deleted back then in its free pages: VACUUM rewrites
 * the file without them, once. It needs as much free disk as the file takes, and runs outside any transaction.
 */
export function vacuumAfterUpgrade(db: SqliteDatabase, migration: { from: number; to: number }): boolean {
	if (migration.from === 0 || migration.from >= ERASING_SINCE_VERSION || migration.to < ERASING_SINCE_VERSION) {
		return false;
	}
	db.exec('VACUUM');
	scrubFreePages(db);
	return true;
}
