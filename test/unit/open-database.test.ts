import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseOpenError, openDatabase } from '../../src/store/sqlite/open-database.js';

const directories: string[] = [];
afterEach(() => {
	for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function tempDirectory(): string {
	const directory = mkdtempSync(join(tmpdir(), 'gemthread-open-'));
	directories.push(directory);
	return directory;
}

function errorOpening(path: string): DatabaseOpenError {
	try {
		openDatabase(path).close();
	} catch (error) {
		if (error instanceof DatabaseOpenError) return error;
		throw error;
	}
	throw new Error(`expected opening ${path} to fail`);
}

describe('openDatabase', () => {
	it('creates the missing folders, several levels deep, and a WAL database in them', () => {
		const path = join(tempDirectory(), 'a', 'b', 'c', 'bot.db');
		const db = openDatabase(path);
		expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
		expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
		db.close();
		expect(statSync(path).isFile()).toBe(true);
	});

	it('opens a database in memory', () => {
		const db = openDatabase(':memory:');
		expect(db.prepare('SELECT 1 AS one').get()).toEqual({ one: 1 });
		db.close();
	});

	it('refuses a path under a file without creating anything', () => {
		const file = join(tempDirectory(), 'notes.txt');
		writeFileSync(file, 'a file');
		const error = errorOpening(join(file, 'x', 'y', 'bot.db'));
		expect(error).toMatchObject({ problem: 'parent-is-a-file', folder: file });
		expect(error.message).toBe(
			`Cannot create the database ${join(file, 'x', 'y', 'bot.db')}: ${file} is a file, not a folder`,
		);
		expect(statSync(file).isFile()).toBe(true);
	});

	it.skipIf(process.platform !== 'linux')('fails at once where mkdir cannot create a folder, as under /proc', () => {
		const started = performance.now();
		const error = errorOpening('/proc/gemthread/state/bot.db');
		expect(performance.now() - started).toBeLessThan(1_000);
		expect(error).toMatchObject({ problem: 'folder-not-created', folder: '/proc/gemthread' });
		expect(error.cause).toMatchObject({ code: 'ENOENT' });
	});

	it('wraps the SQLite error for a file that is not a database, and leaves the file alone', () => {
		const path = join(tempDirectory(), 'bot.db');
		const garbage = 'garbage, not SQLite'.repeat(500);
		writeFileSync(path, garbage);
		const error = errorOpening(path);
		expect(error).toMatchObject({ problem: 'file-not-opened', path });
		expect(error.cause).toMatchObject({ code: 'SQLITE_NOTADB' });
		expect(statSync(path).size).toBe(garbage.length);
		expect(existsSync(`${path}-wal`)).toBe(false);
	});
});
