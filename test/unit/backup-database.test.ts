import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { BackupError, backupDatabase } from '../../src/store/sqlite/backup-database.js';
import { MIGRATIONS_DIRECTORY, migrate } from '../../src/store/sqlite/migrate.js';
import type { SqliteDatabase } from '../../src/store/sqlite/open-database.js';
import { openDatabase } from '../../src/store/sqlite/open-database.js';

const SCRIPT = fileURLToPath(new URL('../../src/scripts/backup.ts', import.meta.url));
const TSX_LOADER = createRequire(import.meta.url).resolve('tsx');

const directories: string[] = [];
const databases: SqliteDatabase[] = [];
afterEach(() => {
	for (const db of databases.splice(0)) db.close();
	for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function tempDirectory(): string {
	const directory = mkdtempSync(join(tmpdir(), 'gemthread-backup-'));
	directories.push(directory);
	return directory;
}

/** The bot's database as it runs: a migrated WAL file, kept open, with one session. */
function liveDatabase(path: string): { db: SqliteDatabase; store: SqliteDatabase } {
	const db = openDatabase(path);
	databases.push(db);
	migrate(db, MIGRATIONS_DIRECTORY);
	db.prepare("INSERT INTO sessions VALUES ('t1', 'g1', 'c1', 'u1', 1, 0, 0, NULL, NULL, NULL)").run();
	return { db, store: db };
}

/** Members' messages, written one statement at a time as the bot writes them (each its own commit). */
function addTurns(db: SqliteDatabase, from: number, count: number): void {
	const insert = db.prepare(
		`INSERT INTO messages (thread_id, role, author_id, author_name, content, discord_message_id, created_at)
		 VALUES ('t1', 'user', 'u1', 'Alice', ?, ?, ?)`,
	);
	for (let index = from; index < from + count; index++) {
		insert.run(`message ${index} ${'x'.repeat(500)}`, `m${index}`, Date.now());
	}
}

/** Every row of every table, in a stable order, plus the schema version. */
function snapshot(db: SqliteDatabase) {
	const tables = db
		.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
		.pluck()
		.all() as string[];
	const rows = Object.fromEntries(
		tables.map((table) => [
			table,
			db
				.prepare(`SELECT * FROM "${table}"`)
				.all()
				.map((row) => JSON.stringify(row))
				.sort(),
		]),
	);
	return { version: db.pragma('user_version', { simple: true }) as number, rows };
}

function openBackup(path: string): SqliteDatabase {
	const db = new Database(path, { readonly: true, fileMustExist: true });
	databases.push(db);
	expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
	return db;
}

const turnCount = (db: SqliteDatabase) => db.prepare('SELECT count(*) FROM messages').pluck().get() as number;

async function backupError(source: string, destination: string, force = false): Promise<BackupError> {
	const error: unknown = await backupDatabase(source, destination, { force }).then(
		() => new Error('expected the backup to be refused'),
		(reason: unknown) => reason,
	);
	if (error instanceof BackupError) return error;
	throw error;
}

describe('backupDatabase', () => {
	it('copies a database the bot holds open in WAL mode, rows still in the WAL included', async () => {
		const directory = tempDirectory();
		const { db, store } = liveDatabase(join(directory, 'gemthread.db'));
		addTurns(store, 0, 50);
		expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
		expect(statSync(join(directory, 'gemthread.db-wal')).size).toBeGreaterThan(0);
		const destination = join(directory, 'backups', 'nested', 'copy.db');

		const pages = await backupDatabase(join(directory, 'gemthread.db'), destination);

		const backup = openBackup(destination);
		expect(pages).toBe(backup.pragma('page_count', { simple: true }));
		expect(snapshot(backup)).toEqual(snapshot(db));
		expect(turnCount(backup)).toBe(50);
		expect(backup.pragma('journal_mode', { simple: true })).toBe('delete');
		expect(readdirSync(join(directory, 'backups', 'nested'))).toEqual(['copy.db']);
	});

	it('takes a consistent snapshot while the bot keeps writing', async () => {
		const directory = tempDirectory();
		const { db, store } = liveDatabase(join(directory, 'gemthread.db'));
		addTurns(store, 0, 200);
		let written = 200;
		let writing = true;
		const writeMore = () => {
			if (!writing) return;
			addTurns(store, written, 10);
			written += 10;
			setImmediate(writeMore);
		};
		setImmediate(writeMore);

		const backedUp = backupDatabase(join(directory, 'gemthread.db'), join(directory, 'copy.db'));
		await backedUp.finally(() => (writing = false));
		expect(written).toBeGreaterThan(200);
		addTurns(store, written, 10);

		const backup = openBackup(join(directory, 'copy.db'));
		const copied = turnCount(backup);
		expect(copied).toBeGreaterThanOrEqual(200);
		expect(copied).toBeLessThan(turnCount(db));
		const contents = (target: SqliteDatabase) =>
			target.prepare('SELECT id, content FROM messages ORDER BY id LIMIT ?').all(copied);
		expect(contents(backup)).toEqual(contents(db));
	});

	it('backs up a stopped bot’s database, opening it read-only', async () => {
		const directory = tempDirectory();
		const source = join(directory, 'gemthread.db');
		const { db, store } = liveDatabase(source);
		addTurns(store, 0, 5);
		const before = snapshot(db);
		databases.splice(0).forEach((open) => open.close());
		const modified = statSync(source).mtimeMs;

		await backupDatabase(source, join(directory, 'copy.db'));

		expect(snapshot(openBackup(join(directory, 'copy.db')))).toEqual(before);
		expect(statSync(source).mtimeMs).toBe(modified);
		// A read-only connection cannot remove the -wal and -shm files it opened; the -wal stays empty.
		expect(statSync(`${source}-wal`, { throwIfNoEntry: false })?.size ?? 0).toBe(0);
	});

	it('refuses to overwrite an existing file unless forced', async () => {
		const directory = tempDirectory();
		const source = join(directory, 'gemthread.db');
		addTurns(liveDatabase(source).store, 0, 3);
		const destination = join(directory, 'copy.db');
		writeFileSync(destination, 'not a database');

		const error = await backupError(source, destination);
		expect(error).toMatchObject({ code: 'destination-exists', path: destination });
		expect(error.message).toBe(`${destination} already exists; pass --force to replace it`);
		expect(readFileSync(destination, 'utf8')).toBe('not a database');

		await backupDatabase(source, destination, { force: true });
		expect(turnCount(openBackup(destination))).toBe(3);
		expect(readdirSync(directory).filter((name) => name.startsWith('copy.db'))).toEqual(['copy.db']);
	});

	it('names the missing source and creates nothing', async () => {
		const directory = tempDirectory();
		const source = join(directory, 'missing', 'gemthread.db');
		const error = await backupError(source, join(directory, 'out', 'copy.db'));
		expect(error).toMatchObject({ code: 'source-missing', path: source, message: `No database at ${source}` });
		expect(existsSync(join(directory, 'out'))).toBe(false);
		expect(existsSync(join(directory, 'missing'))).toBe(false);
	});

	it('refuses to back the database up onto itself, even when forced', async () => {
		const directory = tempDirectory();
		const source = join(directory, 'gemthread.db');
		addTurns(liveDatabase(source).store, 0, 1);
		const error = await backupError(source, join(directory, '.', 'gemthread.db'), true);
		expect(error).toMatchObject({ code: 'same-file', path: source });
	});
});

describe('npm run backup', () => {
	function runScript(directory: string, args: string[], databasePath?: string, extra: Record<string, string> = {}) {
		const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', ...extra };
		if (databasePath !== undefined) env['DATABASE_PATH'] = databasePath;
		return spawnSync(process.execPath, ['--import', TSX_LOADER, SCRIPT, ...args], {
			cwd: directory,
			env,
			encoding: 'utf8',
		});
	}

	it('points to pg_dump when the bot keeps its data in PostgreSQL, and copies nothing', () => {
		const directory = tempDirectory();
		const run = runScript(directory, ['copy.db'], undefined, {
			DATABASE_URL: 'postgres://bot:secret@db.example:5432/gemthread',
		});
		expect(run.status).toBe(1);
		expect(run.stderr).toMatch(
			/^DATABASE_URL is set, so the bot keeps everything in PostgreSQL: back it up with pg_dump/,
		);
		expect(run.stderr).not.toContain('secret');
		expect(existsSync(join(directory, 'copy.db'))).toBe(false);
	});

	it('prints one line with the page count and the file', () => {
		const directory = tempDirectory();
		addTurns(liveDatabase(join(directory, 'data', 'gemthread.db')).store, 0, 3);
		const run = runScript(directory, ['backups/today.db']);
		expect(run.stderr).toBe('');
		expect(run.stdout).toMatch(new RegExp(`^Backed up \\d+ pages to ${join(directory, 'backups', 'today.db')}\\n$`));
		expect(run.status).toBe(0);
		expect(turnCount(openBackup(join(directory, 'backups', 'today.db')))).toBe(3);
	});

	it('says which DATABASE_PATH has no database', () => {
		const directory = tempDirectory();
		const run = runScript(directory, ['copy.db'], './nowhere/bot.db');
		expect(run.stdout).toBe('');
		expect(run.stderr).toBe(
			`Backup failed: No database at ${join(directory, 'nowhere', 'bot.db')} (DATABASE_PATH: ./nowhere/bot.db); ` +
				"set DATABASE_PATH in .env or the environment to the bot's database.\n",
		);
		expect(run.status).toBe(1);
	});

	it('shows the usage line without a file, and refuses to overwrite without --force', () => {
		const directory = tempDirectory();
		addTurns(liveDatabase(join(directory, 'data', 'gemthread.db')).store, 0, 1);
		const usage = runScript(directory, []);
		expect([usage.status, usage.stderr]).toEqual([1, 'Usage: npm run backup -- [--force] <file>\n']);
		writeFileSync(join(directory, 'copy.db'), '');
		const refused = runScript(directory, ['copy.db']);
		expect(refused.stderr).toBe(
			`Backup failed: ${join(directory, 'copy.db')} already exists; pass --force to replace it\n`,
		);
		expect(refused.status).toBe(1);
		expect(runScript(directory, ['--force', 'copy.db']).status).toBe(0);
	});
});
