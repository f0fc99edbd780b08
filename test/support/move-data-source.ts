import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import pg from 'pg';
import { MIGRATIONS_DIRECTORY, migrate } from '../../src/store/sqlite/migrate.js';
import type { SqliteDatabase } from '../../src/store/sqlite/open-database.js';
import { openDatabase } from '../../src/store/sqlite/open-database.js';
import { TABLE_ORDER } from '../../src/store/move/move-tables.js';
import type { TableName } from '../../src/store/move/move-tables.js';
import { collect, ROOT } from './run-main.js';
import type { Run } from './run-main.js';

const SCRIPT = join(ROOT, 'src', 'scripts', 'move-data.ts');
const TSX_LOADER = createRequire(import.meta.url).resolve('tsx');

/** `npm run move-data -- …args` as its compiled twin runs, in `cwd` with only `env` (no .env there). */
export function runMoveData(cwd: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
	const child = spawn(process.execPath, ['--import', TSX_LOADER, SCRIPT, ...args], {
		cwd,
		env: { PATH: process.env['PATH'] ?? '', ...env },
	});
	return collect(child);
}

/**
 * A migrated SQLite database at `path` with a thread of `turns` exchanges, one picture, a persona, a setting and a
 * fact of the bot's own; `edit` adds or changes rows before it is closed.
 */
export function writeSmallSource(path: string, turns = 3, edit?: (db: SqliteDatabase) => void): void {
	const db = openDatabase(path);
	try {
		migrate(db, MIGRATIONS_DIRECTORY);
		db.prepare("INSERT INTO sessions VALUES ('t1', 'g1', 'c1', 'u1', 1, 1, 2, NULL, 3.5, NULL)").run();
		const turn = db.prepare(
			`INSERT INTO messages (thread_id, role, author_id, author_name, content, created_at, reply_to_id, status,
				reply_message_ids) VALUES ('t1', ?, 'u1', 'Alice', ?, ?, ?, ?, ?)`,
		);
		for (let index = 0; index < turns; index++) {
			const question = turn.run('user', `question ${index}`, index, null, null, null).lastInsertRowid;
			turn.run('model', `answer ${index}`, index, question, 'complete', `["${index}"]`);
		}
		const picture = Buffer.from('not really a picture');
		const key = createHash('sha256').update(picture).digest('hex');
		db.prepare('INSERT INTO attachment_blobs VALUES (?, ?, ?)').run(key, picture, picture.length);
		db.prepare("INSERT INTO turn_attachments VALUES (1, 0, 'a.png', 'image/png', 'image', ?, ?)").run(
			picture.length,
			key,
		);
		db.prepare("INSERT INTO personas VALUES ('c1', 'g1', 'Be brief.', 'm1', 5)").run();
		db.prepare(
			"INSERT INTO model_settings (scope_id, guild_id, search, set_by, set_at) VALUES ('c1', 'g1', 1, 'm1', 5)",
		).run();
		db.prepare("INSERT INTO bot_state VALUES ('commands_scope', 'global')").run();
		edit?.(db);
	} finally {
		db.close();
	}
}

/** How many rows each gemthread table holds in the PostgreSQL schema at `url`. */
export async function targetRowCounts(url: string): Promise<Record<TableName, number>> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		const counts: Partial<Record<TableName, number>> = {};
		for (const table of TABLE_ORDER) {
			const { rows } = await client.query<{ count: string }>(`SELECT count(*) AS count FROM "${table}"`);
			counts[table] = Number(rows[0]?.count);
		}
		return counts as Record<TableName, number>;
	} finally {
		await client.end();
	}
}
