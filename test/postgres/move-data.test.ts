import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIRECTORY, migrate } from '../../src/store/sqlite/migrate.js';
import { moveData } from '../../src/store/move/move-data.js';
import { columnsOf, TABLE_ORDER } from '../../src/store/move/move-tables.js';
import type { ColumnKind, TableName } from '../../src/store/move/move-tables.js';
import { verifyCopy } from '../../src/store/move/verify-copy.js';
import { migratePostgres } from '../../src/store/postgres/migrate-postgres.js';
import { openPool } from '../../src/store/postgres/open-pool.js';
import { mention, waitForReplies } from '../support/conversation.js';
import { runMoveData, targetRowCounts, writeSmallSource } from '../support/move-data-source.js';
import { createTestSchema, POSTGRES_TESTS_RUN } from '../support/postgres.js';
import { sampleFiles } from '../support/sample-files.js';
import { option, runCommand } from '../support/slash.js';
import { startTestBot } from '../support/start-test-bot.js';
import type { TestBot } from '../support/start-test-bot.js';

type Finished = (cleanup: () => Promise<void> | void) => void;

const PERSONA = 'You are a careful art critic.';
// Every picture of the thread goes along with the follow-up, not only the newest turns' (the default is 6).
const ENV = { GEMINI_MODELS: 'gemini-2.5-pro, gemini-2.5-flash-lite', CONTEXT_MEDIA_TURNS: '20' };
const EMPTY = Object.fromEntries(TABLE_ORDER.map((table) => [table, 0]));

function tempDirectory(onTestFinished: Finished): string {
	const directory = mkdtempSync(join(tmpdir(), 'gemthread-move-'));
	onTestFinished(() => {
		rmSync(directory, { recursive: true, force: true });
	});
	return directory;
}

async function testSchema(onTestFinished: Finished) {
	const schema = await createTestSchema();
	onTestFinished(() => schema.drop());
	return schema;
}

describe.runIf(POSTGRES_TESTS_RUN)('npm run move-data', () => {
	it('copies a database with every kind of row; the bot started on the copy answers a follow-up with the old context, pictures included', async ({
		onTestFinished,
	}) => {
		const schema = await createTestSchema();
		const first = await startTestBot(ENV, undefined, { backend: 'sqlite' });
		const later: { second?: TestBot } = {};
		// In this order: the second bot shares the first's fakes (its close() ends them) and works in the schema.
		onTestFinished(async () => {
			await first.bot.stop(1_000);
			await first.sql.close();
			await (later.second?.close() ?? Promise.all([first.discord.close(), first.gemini.close()]));
			await schema.drop();
			rmSync(dirname(first.databasePath), { recursive: true, force: true });
		});
		const { moderator, alice, bob } = first.discord.users;
		const general = first.discord.textChannel.id;
		const slash = (name: string, options: unknown[], channelId = general, user = moderator) =>
			runCommand(first, { name, options, channelId, user });
		await slash('persona', [option.subcommand('set', [option.string('prompt', PERSONA)])]);
		await slash('settings', [
			option.subcommand('set', [option.boolean('code', true), option.number('temperature', 0.4)]),
		]);
		await slash('model', [option.string('name', 'gemini-2.5-pro')]);
		const png = await sampleFiles.png('#3366ff', 16);
		const { thread } = await mention(first, 'what is in this picture?', alice, [
			{ filename: 'chart.png', contentType: 'image/png', data: png },
		]);
		await waitForReplies(first, thread.id, 1);
		const pdf = sampleFiles.pdf();
		await first.discord.userSays(thread.id, bob, 'and in this report?', {
			attachments: [{ filename: 'report.pdf', contentType: 'application/pdf', data: pdf }],
		});
		await waitForReplies(first, thread.id, 2);
		const drawn = await sampleFiles.png('#ffcc00', 12);
		first.gemini.enqueue({ kind: 'image', text: 'A yellow square.', images: [{ mimeType: 'image/png', data: drawn }] });
		await slash(
			'imagine',
			[option.string('prompt', 'a yellow square'), option.boolean('public', true)],
			thread.id,
			alice,
		);
		await waitForReplies(first, thread.id, 3);
		const { thread: other } = await mention(first, 'a second conversation', bob);
		const [question] = await waitForReplies(first, other.id, 1);
		const summary = { threadId: other.id, summary: 'Bob and the bot met.', throughTurnId: question!.id, turnCount: 2 };
		expect(await first.bot.stores.summaries.replace({ ...summary, model: 'gemini-2.5-pro' }, 0, Date.now())).toBe(true);
		await first.bot.stop(1_000);
		await first.sql.close();
		const source = new Database(first.databasePath, { readonly: true });
		const counts = Object.fromEntries(
			TABLE_ORDER.map((table) => [table, source.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number]),
		);
		source.close();
		expect(Object.entries(counts).filter(([, count]) => count === 0)).toEqual([]);

		const run = await runMoveData(dirname(first.databasePath), ['--to', schema.url], {
			DATABASE_PATH: first.databasePath,
		});
		expect([run.stderr, run.code]).toEqual(['', 0]);
		expect(run.stdout).toContain(`  messages          ${counts['messages']} rows\n`);
		expect(run.stdout).toMatch(
			/row counts match in all 10 tables; sha256 matches for 3 attachments .* Took \d+\.\d s\./,
		);
		expect(await targetRowCounts(schema.url)).toEqual(counts);

		const second = await startTestBot(ENV, { ...first.world, databaseUrl: schema.url });
		later.second = second;
		expect(second.backend).toBe('postgres');
		expect(second.logLines.join('')).toContain('slash commands unchanged');
		const asked = second.gemini.requests.length;
		await second.discord.userSays(thread.id, alice, 'remind me what we looked at');
		await waitForReplies(second, thread.id, 4);

		const request = second.gemini.requests.slice(asked).find((sent) => sent.action !== 'countTokens')!;
		expect(request.systemInstruction?.startsWith(PERSONA)).toBe(true);
		expect(request).toMatchObject({ model: 'gemini-2.5-pro', generationConfig: { temperature: 0.4 } });
		expect(request.tools).toContainEqual({ codeExecution: {} });
		expect(request.contents.map((content) => content.text)).toEqual([
			'Alice: what is in this picture?\n[image: chart.png]',
			'Echo: Alice: what is in this picture?\n[image: chart.png]',
			'Bob: and in this report?\n[PDF: report.pdf]',
			'Echo: Bob: and in this report?\n[PDF: report.pdf]',
			'Alice: a yellow square',
			'A yellow square.\n[image: gemini-1.png]',
			'Alice: remind me what we looked at',
		]);
		expect(request.inlineData).toEqual([
			{ contentIndex: 0, mimeType: 'image/png', data: png },
			{ contentIndex: 2, mimeType: 'application/pdf', data: pdf },
		]);

		await second.discord.userSays(other.id, bob, 'go on');
		await waitForReplies(second, other.id, 2);
		expect(JSON.stringify(second.gemini.requests.at(-1)?.body)).toContain('Bob and the bot met.');
	});

	it('refuses a target that already holds rows, naming the table, and changes nothing', async ({ onTestFinished }) => {
		const directory = tempDirectory(onTestFinished);
		writeSmallSource(join(directory, 'first.db'));
		const schema = await testSchema(onTestFinished);
		await moveData({ from: join(directory, 'first.db'), to: schema.url });
		const before = await targetRowCounts(schema.url);
		writeSmallSource(join(directory, 'second.db'), 5);

		const run = await runMoveData(directory, ['--from', 'second.db', '--to', schema.url]);
		expect(run.code).toBe(1);
		expect(run.stderr).toMatch(
			/^Move failed: PostgreSQL at 127\.0\.0\.1:5432\/\w+ already holds gemthread data \(table sessions has rows\)/,
		);
		expect(run.stderr.trim().split('\n')).toHaveLength(1);
		expect(await targetRowCounts(schema.url)).toEqual(before);
	});

	it('refuses a URL that is not PostgreSQL, needs --to, and never prints the password', async ({ onTestFinished }) => {
		const directory = tempDirectory(onTestFinished);
		writeSmallSource(join(directory, 'data', 'gemthread.db'));
		const mysql = await runMoveData(directory, ['--to', 'mysql://root:hunter2@127.0.0.1/gemthread']);
		expect([mysql.code, mysql.stdout]).toEqual([1, '']);
		expect(mysql.stderr).toMatch(/^--to must be a PostgreSQL URL such as postgres:\/\//);
		const none = await runMoveData(directory, []);
		expect([none.code, none.stderr]).toEqual([1, expect.stringMatching(/^Usage: npm run move-data -- --to /)]);
		const refused = await runMoveData(directory, ['--to', 'postgres://bot:secret-pw-123@127.0.0.1:1/gemthread']);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toContain('PostgreSQL at 127.0.0.1:1 (--to) refused the connection');
		expect(refused.stdout + refused.stderr).not.toContain('secret-pw-123');
	});

	it('rolls everything back when a row fails mid-copy, leaving the target empty and still usable', async ({
		onTestFinished,
	}) => {
		const directory = tempDirectory(onTestFinished);
		// PostgreSQL's TEXT cannot hold a NUL character, SQLite's can: the last table copied fails.
		writeSmallSource(join(directory, 'bad.db'), 10, (db) => {
			db.prepare("INSERT INTO bot_state VALUES ('broken', ?)").run('a\u0000b');
		});
		const schema = await testSchema(onTestFinished);
		const copied: string[] = [];
		const failure = moveData({
			from: join(directory, 'bad.db'),
			to: schema.url,
			batch: { rows: 2, bytes: 1_024 },
			onTable: (table) => copied.push(table),
		});
		await expect(failure).rejects.toThrow(
			/^Copying bot_state failed: PostgreSQL at .* \(--to\): invalid byte sequence/,
		);
		await expect(failure).rejects.toThrow(/Nothing was committed to PostgreSQL$/);
		expect(copied).toEqual(TABLE_ORDER.slice(0, -1));
		expect(await targetRowCounts(schema.url)).toEqual(EMPTY);

		writeSmallSource(join(directory, 'good.db'), 2);
		const moved = await moveData({ from: join(directory, 'good.db'), to: schema.url });
		expect(moved.tables.find((table) => table.table === 'messages')?.rows).toBe(4);
		const client = new pg.Client({ connectionString: schema.url });
		await client.connect();
		onTestFinished(() => client.end());
		const { rows } = await client.query<{ id: string }>(
			"INSERT INTO messages (thread_id, role, author_id, author_name, content, created_at) VALUES ('t1', 'user', 'u', 'U', 'new', 9) RETURNING id",
		);
		expect(rows[0]?.id).toBe('5');
	});

	it('refuses an attachment whose bytes do not hash to its key, and commits nothing', async ({ onTestFinished }) => {
		const directory = tempDirectory(onTestFinished);
		writeSmallSource(join(directory, 'damaged.db'), 1, (db) => {
			db.prepare("UPDATE attachment_blobs SET data = CAST('changed bytes' AS BLOB)").run();
		});
		const schema = await testSchema(onTestFinished);
		await expect(moveData({ from: join(directory, 'damaged.db'), to: schema.url })).rejects.toThrow(
			/^The copy does not match the SQLite database, so nothing was committed: attachment \w{12}…: its bytes in SQLite hash to \w{12}…; attachment \w{12}…: its bytes in PostgreSQL hash to/,
		);
		expect(await targetRowCounts(schema.url)).toEqual(EMPTY);
	});

	it('stops when the SQLite file changes during the move (the bot still running), and commits nothing', async ({
		onTestFinished,
	}) => {
		const directory = tempDirectory(onTestFinished);
		const path = join(directory, 'live.db');
		writeSmallSource(path);
		const schema = await testSchema(onTestFinished);
		const bot = new Database(path);
		onTestFinished(() => {
			bot.close();
		});
		const move = moveData({
			from: path,
			to: schema.url,
			onTable: (table) => {
				if (table === 'sessions') bot.prepare("INSERT INTO bot_state VALUES ('meanwhile', 'x')").run();
			},
		});
		await expect(move).rejects.toThrow(
			/^The SQLite database changed while it was being copied \(is the bot still running/,
		);
		expect(await targetRowCounts(schema.url)).toEqual(EMPTY);
	});

	it('refuses a source at an older schema version, and leaves it as it was', async ({ onTestFinished }) => {
		const directory = tempDirectory(onTestFinished);
		const older = join(directory, 'migrations');
		mkdirSync(older);
		const files = readdirSync(MIGRATIONS_DIRECTORY).sort();
		for (const file of files.slice(0, -1)) copyFileSync(join(MIGRATIONS_DIRECTORY, file), join(older, file));
		const path = join(directory, 'old.db');
		const db = new Database(path);
		const { to } = migrate(db, older);
		db.close();
		const schema = await testSchema(onTestFinished);
		await expect(moveData({ from: path, to: schema.url })).rejects.toThrow(
			`${path} is at schema version ${to}, older than this build's ${to + 1}: start the bot once on it`,
		);
		const after = new Database(path, { readonly: true });
		expect(after.pragma('user_version', { simple: true })).toBe(to);
		after.close();
	});

	it('knows every table and column of both migrations, each with the PostgreSQL type its kind maps to', async ({
		onTestFinished,
	}) => {
		const sqlite = new Database(':memory:');
		migrate(sqlite, MIGRATIONS_DIRECTORY);
		const sqliteColumns = sqlite
			.prepare(
				"SELECT t.name || '.' || c.name FROM sqlite_schema t, pragma_table_info(t.name) c WHERE t.type = 'table' ORDER BY 1",
			)
			.pluck()
			.all();
		sqlite.close();
		const declared = TABLE_ORDER.flatMap((table) =>
			columnsOf(table).map((column) => [`${table}.${column.name}`, column.kind]),
		);
		expect(declared.map(([name]) => name).sort()).toEqual(sqliteColumns);

		const schema = await testSchema(onTestFinished);
		const pool = openPool({ url: schema.url, size: 1 });
		onTestFinished(() => pool.end());
		await migratePostgres(pool);
		const { rows } = await pool.query<{ name: string; type: string; identity: string }>(
			`SELECT table_name || '.' || column_name AS name, data_type AS type, is_identity AS identity
			 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name <> 'schema_version'`,
		);
		const types: Record<ColumnKind, string[]> = {
			text: ['text'],
			integer: ['integer', 'bigint'],
			identity: ['bigint'],
			real: ['double precision'],
			flag: ['boolean'],
			json: ['jsonb'],
			blob: ['bytea'],
		};
		const actual = new Map(rows.map((row) => [row.name, row]));
		expect([...actual.keys()].sort()).toEqual(declared.map(([name]) => name).sort());
		for (const [name, kind] of declared as [string, ColumnKind][]) {
			expect(types[kind], name).toContain(actual.get(name)?.type);
			expect(actual.get(name)?.identity, name).toBe(kind === 'identity' ? 'YES' : 'NO');
		}
	});
});

describe('checking a copy', () => {
	const counts = (messages: number) =>
		new Map<TableName, number>([
			['sessions', 1],
			['messages', messages],
		]);
	const key = 'a'.repeat(64);

	it('finds nothing to say about a whole copy', () => {
		const facts = { counts: counts(4), blobs: new Map([[key, key]]) };
		expect(verifyCopy(facts, facts)).toEqual([]);
	});

	it('names a table whose row counts differ and an attachment whose copied bytes, or presence, differ', () => {
		const other = 'b'.repeat(64);
		const problems = verifyCopy(
			{
				counts: counts(4),
				blobs: new Map([
					[key, key],
					[other, other],
				]),
			},
			{
				counts: counts(3),
				blobs: new Map([
					[key, 'c'.repeat(64)],
					['d'.repeat(64), 'd'.repeat(64)],
				]),
			},
		);
		expect(problems).toEqual([
			'messages has 4 rows in SQLite but 3 in PostgreSQL',
			'attachment aaaaaaaaaaaa…: its bytes in PostgreSQL hash to cccccccccccc…',
			'attachment bbbbbbbbbbbb… is missing in PostgreSQL',
			'attachment dddddddddddd… is in PostgreSQL only',
		]);
	});
});
