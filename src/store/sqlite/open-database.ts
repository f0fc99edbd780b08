import { mkdirSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

export type DatabaseProblem = 'parent-is-a-file' | 'folder-not-created' | 'file-not-opened';

/** Why the database file at `path` cannot be used; `cause` is the fs or SQLite error, when there is one. */
export class DatabaseOpenError extends Error {
	override readonly name = 'DatabaseOpenError';
	readonly path: string;
	readonly problem: DatabaseProblem;
	/** The file standing where a folder should be, or the folder that could not be made or opened in. */
	readonly folder: string;

	constructor(path: string, problem: DatabaseProblem, folder: string, cause?: unknown) {
		const detail = cause instanceof Error ? `: ${cause.message}` : '';
		super(`${problemText(problem, path, folder)}${detail}`, { cause });
		this.path = path;
		this.problem = problem;
		this.folder = folder;
	}
}

/** Opens the SQLite file, creating it and its folders if missing; throws a DatabaseOpenError when it cannot. */
export function openDatabase(path: string): SqliteDatabase {
	if (path !== ':memory:') createFolders(path, dirname(path));
	let db: SqliteDatabase | undefined;
	try {
		db = new Database(path);
		db.pragma('journal_mode = WAL');
		db.pragma('foreign_keys = ON');
		// Deleted and edited text is overwritten with zeros instead of lingering in free pages of the file.
		db.pragma('secure_delete = ON');
		// Another process (a second bot instance, a backup) may hold the lock briefly.
		db.pragma('busy_timeout = 5000');
		return db;
	} catch (error) {
		db?.close();
		throw new DatabaseOpenError(path, 'file-not-opened', dirname(path), error);
	}
}

// One level at a time from the nearest existing folder: `mkdirSync(..., { recursive: true })` retries forever
// where mkdir fails with ENOENT under an existing parent, as it does anywhere under /proc.
function createFolders(path: string, folder: string): void {
	const missing: string[] = [];
	let current = folder;
	let stats = statIfPresent(path, current);
	// Bounded: dirname() shortens the path every round and stops changing at the root.
	while (stats === undefined && dirname(current) !== current) {
		missing.unshift(current);
		current = dirname(current);
		stats = statIfPresent(path, current);
	}
	if (stats !== undefined && !stats.isDirectory()) throw new DatabaseOpenError(path, 'parent-is-a-file', current);
	for (const next of missing) {
		try {
			mkdirSync(next);
		} catch (error) {
			// A second instance starting at the same time may have made it first.
			if (errorCode(error) === 'EEXIST' && statIfPresent(path, next)?.isDirectory() === true) continue;
			throw new DatabaseOpenError(path, 'folder-not-created', next, error);
		}
	}
}

/** Undefined when `folder` is missing or a parent is a file (which the caller finds further up). */
function statIfPresent(path: string, folder: string): Stats | undefined {
	try {
		return statSync(folder);
	} catch (error) {
		const code = errorCode(error);
		if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
		throw new DatabaseOpenError(path, 'folder-not-created', folder, error);
	}
}

function problemText(problem: DatabaseProblem, path: string, folder: string): string {
	switch (problem) {
		case 'parent-is-a-file':
			return `Cannot create the database ${path}: ${folder} is a file, not a folder`;
		case 'folder-not-created':
			return `Cannot create the database folder ${folder}`;
		case 'file-not-opened':
			return `Cannot open the database ${path}`;
	}
}

function errorCode(error: unknown): unknown {
	return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}
