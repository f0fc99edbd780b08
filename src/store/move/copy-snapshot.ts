import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { SqliteDatabase } from '../sqlite/open-database.js';
import { copyTable } from './copy-table.js';
import type { BatchLimits } from './copy-table.js';
import { columnsOf, quoted, TABLE_ORDER } from './move-tables.js';
import type { TableName } from './move-tables.js';
import { MoveError } from './move-error.js';
import { readTargetFacts } from './read-target-facts.js';
import { restartIdentities } from './restart-identities.js';
import { TableCopyError } from './table-copy-error.js';
import { verifyCopy } from './verify-copy.js';

export type CopiedTable = { readonly table: TableName; readonly rows: number };
export type SnapshotCopy = { readonly tables: readonly CopiedTable[]; readonly blobsVerified: number };

/**
 * Copies every table from one read snapshot of the SQLite file into the caller's open PostgreSQL transaction,
 * restarts the identities, and checks the copy against the snapshot: row counts, and every attachment's sha256
 * recomputed by PostgreSQL from the copied bytes. Throws a MoveError when the check fails, or when another
 * connection wrote to the SQLite file meanwhile (the bot still running); the caller then rolls back.
 */
export async function copySnapshot(
	source: SqliteDatabase,
	target: pg.ClientBase,
	options: { limits: BatchLimits; onTable?: ((table: TableName, rows: number) => void) | undefined },
): Promise<SnapshotCopy> {
	// Changes whenever another connection commits to the file; read outside the snapshot, before and after.
	const versionBefore = dataVersion(source);
	const tables: CopiedTable[] = [];
	const blobs = new Map<string, string>();
	const counts = new Map<TableName, number>();
	source.exec('BEGIN');
	try {
		for (const table of TABLE_ORDER) {
			const count = source
				.prepare(`SELECT count(*) FROM ${quoted(table)}`)
				.pluck()
				.get() as number;
			counts.set(table, count);
			const onRow = table === 'attachment_blobs' ? blobHasher(blobs) : undefined;
			const rows = await copyTable(source, target, table, options.limits, onRow).catch((error: unknown) => {
				throw new TableCopyError(table, error);
			});
			tables.push({ table, rows });
			options.onTable?.(table, rows);
		}
		await restartIdentities(target);
		const problems = verifyCopy({ counts, blobs }, await readTargetFacts(target));
		if (problems.length > 0) {
			const shown = problems.slice(0, 5).join('; ');
			throw new MoveError(`The copy does not match the SQLite database, so nothing was committed: ${shown}`);
		}
	} finally {
		source.exec('COMMIT');
	}
	if (dataVersion(source) !== versionBefore) {
		throw new MoveError(
			'The SQLite database changed while it was being copied (is the bot still running on it?), so nothing was ' +
				'committed to PostgreSQL: stop the bot, then run move-data again',
		);
	}
	return { tables, blobsVerified: blobs.size };
}

function blobHasher(blobs: Map<string, string>): (row: readonly unknown[]) => void {
	const columns = columnsOf('attachment_blobs').map((column) => column.name);
	const keyAt = columns.indexOf('sha256');
	const dataAt = columns.indexOf('data');
	return (row) => {
		const data = row[dataAt];
		const digest = Buffer.isBuffer(data) ? createHash('sha256').update(data).digest('hex') : '';
		blobs.set(String(row[keyAt]), digest);
	};
}

function dataVersion(db: SqliteDatabase): number {
	return db.pragma('data_version', { simple: true }) as number;
}
