import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { probeDatabase } from '../../src/store/sqlite/probe-database.js';
import { MIGRATIONS_DIRECTORY, migrate } from '../../src/store/sqlite/migrate.js';
import type { SqliteDatabase } from '../../src/store/sqlite/open-database.js';
import { openDatabase } from '../../src/store/sqlite/open-database.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
	for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function databaseFile(): { path: string; db: SqliteDatabase } {
	const directory = mkdtempSync(join(tmpdir(), 'gemthread-probe-'));
	const path = join(directory, 'bot.db');
	const db = openDatabase(path);
	migrate(db, MIGRATIONS_DIRECTORY);
	cleanups.push(() => {
		if (db.open) db.close();
		rmSync(directory, { recursive: true, force: true });
	});
	return { path, db };
}

function openAlso(path: string, options?: Database.Options): SqliteDatabase {
	const other = new Database(path, options);
	cleanups.push(() => other.close());
	return other;
}

describe('probeDatabase', () => {
	it('finds a healthy database writable and leaves it exactly as it was', () => {
		const { db } = databaseFile();
		const version = db.pragma('user_version', { simple: true });
		expect(probeDatabase(db)).toBeUndefined();
		expect(db.inTransaction).toBe(false);
		expect(db.pragma('user_version', { simple: true })).toBe(version);
		expect(db.pragma('busy_timeout', { simple: true })).toBe(5_000);
	});

	it('reports a database another connection holds the write lock on, quickly', () => {
		const { path, db } = databaseFile();
		const other = openAlso(path);
		other.exec('BEGIN IMMEDIATE');
		const started = performance.now();
		expect(probeDatabase(db)).toBe('database is locked');
		expect(performance.now() - started).toBeLessThan(2_000);
		expect(db.pragma('busy_timeout', { simple: true })).toBe(5_000);
		other.exec('ROLLBACK');
		expect(probeDatabase(db)).toBeUndefined();
	});

	it('reports a connection that can only read (a read-only file or mount)', () => {
		const { path } = databaseFile();
		const readOnly = openAlso(path, { readonly: true });
		expect(probeDatabase(readOnly)).toBe('attempt to write a readonly database');
		expect(readOnly.inTransaction).toBe(false);
	});

	it('reports a closed connection', () => {
		const { db } = databaseFile();
		db.close();
		expect(probeDatabase(db)).toBe('The database connection is not open');
	});
});
