import type pg from 'pg';
import { columnsOf, quoted, TABLE_ORDER } from './move-tables.js';

/**
 * Restarts each identity (the ids of turns and usage records, copied as they were) past the largest id, so the bot's
 * next row gets a new id. ALTER TABLE, unlike setval(), is undone with the transaction if the move fails later.
 */
export async function restartIdentities(client: pg.ClientBase): Promise<void> {
	for (const table of TABLE_ORDER) {
		for (const column of columnsOf(table).filter((candidate) => candidate.kind === 'identity')) {
			const { rows } = await client.query<{ next: number }>(
				`SELECT coalesce(max(${quoted(column.name)}), 0) + 1 AS next FROM ${quoted(table)}`,
			);
			const next = rows[0]?.next ?? 1;
			if (!Number.isSafeInteger(next)) throw new Error(`${table}.${column.name} holds an id out of range`);
			// DDL takes no parameters; `next` is a safe integer.
			await client.query(`ALTER TABLE ${quoted(table)} ALTER COLUMN ${quoted(column.name)} RESTART WITH ${next}`);
		}
	}
}
