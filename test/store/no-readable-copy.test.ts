import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIRECTORY, migrate } from '../../src/store/sqlite/migrate.js';
import { openDatabase } from '../../src/store/sqlite/open-database.js';
import type { OpenedStores } from '../../src/store/ports/stores.js';
import { openStores } from '../../src/store/open-stores.js';
import { silentLogger } from '../support/silent-logger.js';

// SQLite only: PostgreSQL's files are the server's, out of the bot's reach (see the report on VACUUM there).
const SECRET = 'correct-horse-battery-staple-0451';
const FILE_SECRET = 'tr0ub4dor-and-3-in-a-file';
const folders: string[] = [];
const opened: OpenedStores[] = [];

afterEach(async () => {
	for (const stores of opened.splice(0)) await stores.database.close();
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

async function open(path: string): Promise<OpenedStores> {
	const stores = await openStores({ databasePath: path, logger: silentLogger });
	opened.push(stores);
	return stores;
}

/** The production SQLite stores over a file with one thread whose first question holds the secret, answered. */
async function storedSecret(path: string) {
	const stores = await open(path);
	const { sessions } = stores;
	await sessions.ensureSession({ threadId: 't1', guildId: 'g1', parentChannelId: 'c1', creatorId: 'u1', owned: true });
	const question = await sessions.appendUserTurn({
		threadId: 't1',
		authorId: 'u1',
		authorName: 'Alice',
		content: `my password is ${SECRET}, please keep it`.repeat(40),
		discordMessageId: 'm1',
		createdAt: 1_000,
	});
	if (!question) throw new Error('not stored');
	await stores.attachments.add(question.id, [
		{ filename: 'secret.txt', mimeType: 'text/plain', kind: 'text', data: Buffer.from(FILE_SECRET.repeat(20)) },
	]);
	await sessions.appendModelTurn(
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
	return { stores, question };
}

describe('sqlite: no readable copy of deleted text in the database files', () => {
	// Whether the turn's file goes too (an edit keeps it).
	const cases: [string, boolean, (stores: OpenedStores, turnId: number) => Promise<unknown>][] = [
		['an erased turn', true, (stores, turnId) => stores.sessions.eraseTurn(turnId)],
		['a withdrawn turn', true, (stores, turnId) => stores.sessions.withdrawTurn(turnId)],
		['an edited turn', false, (stores, turnId) => stores.sessions.updateTurnContent(turnId, 'changed')],
		['/forget', true, (stores) => stores.forget.forget('t1')],
		['retention', true, (stores) => stores.retention.deleteBatch(Number.MAX_SAFE_INTEGER, 100)],
	];
	it.each(cases)('%s leaves neither the file nor its WAL holding the old text', async (_name, filesGo, remove) => {
		const path = databaseFile();
		const { stores, question } = await storedSecret(path);
		expect(onDisk(path, SECRET)).toBe(true);
		expect(onDisk(path, FILE_SECRET)).toBe(true);
		await remove(stores, question.id);
		expect(onDisk(path, SECRET)).toBe(false);
		expect(onDisk(path, FILE_SECRET)).toBe(!filesGo);
		await stores.database.close();
		expect(onDisk(path, SECRET)).toBe(false);
	});

	it('rewrites a database upgraded from before secure_delete once, so text deleted back then is gone too', async () => {
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

		await (await open(path)).database.close();
		expect(onDisk(path, SECRET)).toBe(false);
	});
});
