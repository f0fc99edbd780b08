import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';

export type BackupProblem = 'source-missing' | 'destination-exists' | 'same-file';

/** Why a backup was refused before it started; `path` is the file concerned. */
export class BackupError extends Error {
	override readonly name = 'BackupError';
	readonly code: BackupProblem;
	readonly path: string;

	constructor(code: BackupProblem, path: string) {
		super(problemText(code, path));
		this.code = code;
		this.path = path;
	}
}

export type BackupOptions = {
	/**
	 * Replace a file already at the destination.
	 * @default false
	 */
	readonly force?: boolean;
};

// One step copies every page inside a single read transaction: between steps SQLite restarts a backup whenever
// another connection (the running bot) writes, so small steps could start over indefinitely on a busy database.
const ALL_PAGES = 0x7f_ff_ff_ff;

/**
 * Copies the SQLite database at `sourcePath` to `destinationPath` with SQLite's online backup API, which is safe
 * while the bot writes to it (WAL). Writes to a temporary file next to the destination and renames it into place,
 * so a failed backup leaves nothing behind. Resolves to the number of pages copied.
 */
export async function backupDatabase(
	sourcePath: string,
	destinationPath: string,
	options: BackupOptions = {},
): Promise<number> {
	const source = resolve(sourcePath);
	const destination = resolve(destinationPath);
	if (!existsSync(source)) throw new BackupError('source-missing', source);
	if (source === destination) throw new BackupError('same-file', destination);
	if (options.force !== true && existsSync(destination)) throw new BackupError('destination-exists', destination);
	mkdirSync(dirname(destination), { recursive: true });
	const temporary = `${destination}.${process.pid}.partial`;
	const db = new Database(source, { readonly: true, fileMustExist: true });
	try {
		db.pragma('busy_timeout = 5000');
		const { totalPages } = await db.backup(temporary, { progress: () => ALL_PAGES });
		useRollbackJournal(temporary);
		renameSync(temporary, destination);
		return totalPages;
	} catch (error) {
		rmSync(temporary, { force: true });
		throw error;
	} finally {
		db.close();
	}
}

// The copy keeps the source's WAL flag; in rollback mode it is one self-contained file that opens anywhere, even
// read-only, without creating -wal and -shm files next to it.
function useRollbackJournal(path: string): void {
	const copy = new Database(path);
	try {
		copy.pragma('journal_mode = DELETE');
	} finally {
		copy.close();
	}
}

function problemText(code: BackupProblem, path: string): string {
	switch (code) {
		case 'source-missing':
			return `No database at ${path}`;
		case 'destination-exists':
			return `${path} already exists; pass --force to replace it`;
		case 'same-file':
			return `${path} is the database itself; choose another file`;
	}
}
