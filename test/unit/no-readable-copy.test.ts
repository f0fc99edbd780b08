import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createForgetStore } from '../../src/store/forget-store.js';
import { MIGRATIONS_DIRECTORY, migrate } from '../../src/store/migrate.js';
import type { SqliteDatabase } from '../../src/store/open-database.js';
import { openDatabase } from '../../src/store/open-database.js';
import { createRetentionStore } from '../../src/store/retention-store.js';
import { vacuumAfterUpgrade } from '../../src/store/scrub-free-pages.js';
import { createSessionStore } from '../../src/store/session-store.js';

const SECRET = 'correct-horse-battery-staple-0451';
const folders: string[] = [];

afterEach(() => {
	for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function databaseFile(): string {
	const folder = mkdtempSync(join(tmpdir(), 'gemthread-scrub-'));
	folders.push(folder);
	return join(folder, 'bot.db');
}

/** Whether the text is anywhere in the database's files, as bytes on disk. */
function onDisk(path: string, text: string): boolean {
	return ['', '-wal'].some((suffix) => existsSync(path + suffix) && readFileSync(path + suffix).includes(text));
}

/** A migrated file database with one thread whose first question holds the secret, answered. */
function storedSecret(path: string) {
	const db = openDatabase(path);
	migrate(db, MIGRATIONS_DIRECTORY);
	const sessions = createSessionStore(db);
	sessions.ensureSession({ threadId: 't1', guildId: 'g1', parentChannelId: 'c1', creatorId: 'u1', owned: true });
	const question = sessions.appendUserTurn({
		threadId: 't1',
		authorId: 'u1',
		authorName: 'Alice',
		content: `my password is ${SECRET}, please keep it`.repeat(40),
		discordMessageId: 'm1',
		createdAt: 1_000,
	});
	if (!question) throw new Error('not stored');
	sessions.appendModelTurn(
		{ threadId: 't1', replyToId: question.id, authorId: 'bot', authorName: 'Bot', model: 'm' },
		{
			content: 'Noted.',
			replyMessageIds: ['r1'],
			status: 'complete',
			finishReason: 'STOP',
			errorCode: undefined,
			model: 'm',
			usage: { promptTokens: 1, outputTokens: 1, thoughtsTokens: undefined, totalTokens: 2 },
		},
	);
	return { db, sessions, question };
}

describe('no readable copy of deleted text in the database files', () => {
	const cases: [string, (db: SqliteDatabase, turnId: number) => void][] = [
		[
			'an erased turn',
			(db, turnId) => {
				createSessionStore(db).eraseTurn(turnId);
			},
		],
		[
			'an edited turn',
			(db, turnId) => {
				createSessionStore(db).updateTurnContent(turnId, 'changed');
			},
		],
		['/forget', (db) => createForgetStore(db).forget('t1')],
		['retention', (db) => createRetentionStore(db).deleteBatch(Number.MAX_SAFE_INTEGER, 100)],
	];
	it.each(cases)('%s leaves neither the file nor its WAL holding the old text', (_name, remove) => {
		const path = databaseFile();
		const { db, question } = storedSecret(path);
		expect(onDisk(path, SECRET)).toBe(true);
		remove(db, question.id);
		expect(onDisk(path, SECRET)).toBe(false);
		db.close();
		expect(onDisk(path, SECRET)).toBe(false);
	});

	it('rewrites a database upgraded from before secure_delete once, so text deleted back then is gone too', () => {
		const path = databaseFile();
		// A database as version 7 left it: only the migrations up to then.
		const olderMigrations = mkdtempSync(join(tmpdir(), 'gemthread-migrations-'));
		folders.push(olderMigrations);
		for (const name of readdirSync(MIGRATIONS_DIRECTORY).filter((file) => /^00[1-7]_/.test(file))) {
			copyFileSync(join(MIGRATIONS_DIRECTORY, name), join(olderMigrations, name));
		}
		const old = openDatabase(path);
		old.pragma('secure_delete = OFF');
		expect(migrate(old, olderMigrations)).toEqual({ from: 0, to: 7 });
		old.exec(
			`INSERT INTO sessions (thread_id, guild_id, parent_channel_id, creator_id, owned, created_at, updated_at)
			 VALUES ('t1', 'g1', 'c1', 'u1', 1, 0, 0)`,
		);
		old
			.prepare(
				`INSERT INTO messages (thread_id, role, author_id, author_name, content, created_at) VALUES ('t1', 'user', 'u1', 'A', ?, 0)`,
			)
			.run(SECRET.repeat(50));
		old.exec('DELETE FROM messages');
		old.pragma('wal_checkpoint(TRUNCATE)');
		old.close();
		expect(onDisk(path, SECRET)).toBe(true);

		const db = openDatabase(path);
		const migration = migrate(db, MIGRATIONS_DIRECTORY);
		expect(vacuumAfterUpgrade(db, migration)).toBe(true);
		expect(onDisk(path, SECRET)).toBe(false);
		// Once only: a later start has nothing left to rewrite.
		expect(vacuumAfterUpgrade(db, migrate(db, MIGRATIONS_DIRECTORY))).toBe(false);
		db.close();
	});
});
