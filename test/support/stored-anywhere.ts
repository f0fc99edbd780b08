import { existsSync, readFileSync } from 'node:fs';
import type { TestBot } from './start-test-bot.js';

/**
 * Whether the text is anywhere in what the bot stored. On SQLite: the bytes of the database file and its WAL, free
 * pages included (what someone copying the file would get). On PostgreSQL: any row of any table in the bot's schema,
 * as text (dead row versions wait for VACUUM, which PostgreSQL runs by itself: no SQL can read them).
 */
export async function storedAnywhere(t: TestBot, text: string): Promise<boolean> {
	if (t.backend === 'sqlite') {
		return ['', '-wal'].some((suffix) => {
			const path = `${t.databasePath}${suffix}`;
			return existsSync(path) && readFileSync(path).toString('latin1').includes(text);
		});
	}
	const columns = await t.sql.rows<{ name: string; col: string; type: string }>(
		`SELECT table_name AS name, column_name AS col, data_type AS type
		 FROM information_schema.columns WHERE table_schema = current_schema()`,
	);
	for (const { name, col, type } of columns) {
		const found =
			type === 'bytea' ? `position(convert_to(?, 'UTF8') in "${col}") > 0` : `strpos(cast("${col}" AS text), ?) > 0`;
		if ((await t.sql.value<number>(`SELECT count(*) FROM "${name}" WHERE ${found}`, text)) !== 0) return true;
	}
	return false;
}
