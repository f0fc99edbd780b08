import type pg from 'pg';
import type { SqliteDatabase } from '../sqlite/open-database.js';
import { columnsOf, quoted } from './move-tables.js';
import type { ColumnKind, TableName } from './move-tables.js';
import { MoveError } from './move-error.js';

/** How much one INSERT carries at most: memory stays near `bytes` plus one row, whatever the database's size. */
export type BatchLimits = { readonly rows: number; readonly bytes: number };

export const DEFAULT_BATCH_LIMITS: BatchLimits = { rows: 500, bytes: 16 * 1_048_576 };

// PostgreSQL's limit on the parameters of one statement.
const MAX_PARAMETERS = 65_535;

/**
 * Copies every row of `table` from SQLite into PostgreSQL in rowid order (for messages, its id: a reply after its
 * question), a batch at a time, reading one row at a time. `onRow` sees each row as read, its values in
 * `columnsOf(table)` order. Resolves to the number of rows copied.
 */
export async function copyTable(
	source: SqliteDatabase,
	target: pg.ClientBase,
	table: TableName,
	limits: BatchLimits,
	onRow?: (row: readonly unknown[]) => void,
): Promise<number> {
	const columns = columnsOf(table);
	const names = columns.map((column) => quoted(column.name)).join(', ');
	const select = source.prepare(`SELECT ${names} FROM ${quoted(table)} ORDER BY rowid`).raw(true);
	const maxRows = Math.max(1, Math.min(limits.rows, Math.floor(MAX_PARAMETERS / columns.length)));
	let batch: unknown[][] = [];
	let bytes = 0;
	let copied = 0;
	const flush = async () => {
		if (batch.length === 0) return;
		await target.query(insertText(table, names, columns.length, batch.length), batch.flat());
		copied += batch.length;
		batch = [];
		bytes = 0;
	};
	for (const row of select.iterate() as IterableIterator<unknown[]>) {
		onRow?.(row);
		batch.push(row.map((value, index) => toPostgres(value, columns[index]?.kind ?? 'text')));
		bytes += row.reduce<number>((sum, value) => sum + sizeOf(value), 0);
		if (batch.length >= maxRows || bytes >= limits.bytes) await flush();
	}
	await flush();
	return copied;
}

function insertText(table: TableName, names: string, width: number, rows: number): string {
	const tuples = Array.from({ length: rows }, (_, row) => {
		const placeholders = Array.from({ length: width }, (_, column) => `$${row * width + column + 1}`);
		return `(${placeholders.join(', ')})`;
	});
	return `INSERT INTO ${quoted(table)} (${names}) VALUES ${tuples.join(', ')}`;
}

/**
 * A SQLite value as PostgreSQL's column takes it. JSON text goes as text (PostgreSQL parses it into JSONB and refuses
 * what is not JSON), a Buffer binds as BYTEA, numbers as they are (ids and epoch-ms times are far below 2^53).
 */
export function toPostgres(value: unknown, kind: ColumnKind): unknown {
	if (kind !== 'flag' || value === null) return value;
	if (value === 0 || value === 1) return value === 1;
	throw new MoveError(`a yes/no column holds ${JSON.stringify(value)}, neither 0 nor 1`);
}

function sizeOf(value: unknown): number {
	if (Buffer.isBuffer(value)) return value.length;
	return typeof value === 'string' ? value.length : 8;
}
