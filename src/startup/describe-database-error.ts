import type { DatabaseOpenError } from '../store/sqlite/open-database.js';

const SQLITE_ADVICE: Readonly<Record<string, string>> = {
	SQLITE_NOTADB: 'is not a SQLite database, or is damaged. Restore it from a backup, or move it away to start afresh',
	SQLITE_CORRUPT: 'is damaged. Restore it from a backup, or move it away to start afresh',
	SQLITE_READONLY: "is read-only. Give the bot's user write access to the file and its folder",
	SQLITE_PERM: "cannot be written. Give the bot's user write access to the file and its folder",
	SQLITE_BUSY: 'is locked by another process. Stop the other gemthread (or backup) using it first',
	SQLITE_CANTOPEN: "cannot be opened. Make DATABASE_PATH a file (not a folder) the bot's user can read and write",
};

/** One line naming DATABASE_PATH, what is wrong with it and what to do. */
export function describeDatabaseError(error: DatabaseOpenError): string {
	const setting = `DATABASE_PATH (${error.path})`;
	const code = codeOf(error.cause);
	switch (error.problem) {
		case 'parent-is-a-file':
			return `${setting} needs ${error.folder} to be a folder, but it is a file. Set DATABASE_PATH to a file inside a folder, or move that file away.`;
		case 'folder-not-created':
			return `${setting}: the folder ${error.folder} cannot be created (${code ?? 'unknown error'}). Set DATABASE_PATH to a file in a folder the bot can write to.`;
		case 'file-not-opened': {
			// better-sqlite3 reports extended codes (SQLITE_CANTOPEN_ISDIR); the primary code is enough here.
			const primary = /^SQLITE_[A-Z]+/.exec(code ?? '')?.[0];
			const advice = primary === undefined ? undefined : SQLITE_ADVICE[primary];
			if (advice !== undefined) return `${setting} ${advice}, or set DATABASE_PATH to another file.`;
			return `${setting} cannot be opened (${error.cause instanceof Error ? error.cause.message : 'unknown error'}). Check the file, or set DATABASE_PATH to another file.`;
		}
	}
}

function codeOf(cause: unknown): string | undefined {
	return typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string'
		? cause.code
		: undefined;
}
