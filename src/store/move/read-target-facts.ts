import type pg from 'pg';
import { quoted, TABLE_ORDER } from './move-tables.js';
import type { TableName } from './move-tables.js';
import type { CopyFacts } from './verify-copy.js';

/** Row counts of every table, and the sha256 of every attachment's bytes as PostgreSQL computes them from the copy. */
export async function readTargetFacts(client: pg.ClientBase): Promise<CopyFacts> {
	const counts = new Map<TableName, number>();
	for (const table of TABLE_ORDER) {
		const { rows } = await client.query<{ count: number }>(`SELECT count(*) AS count FROM ${quoted(table)}`);
		counts.set(table, rows[0]?.count ?? 0);
	}
	const { rows } = await client.query<{ sha256: string; digest: string }>(
		"SELECT sha256, encode(sha256(data), 'hex') AS digest FROM attachment_blobs",
	);
	return { counts, blobs: new Map(rows.map((row) => [row.sha256, row.digest])) };
}
