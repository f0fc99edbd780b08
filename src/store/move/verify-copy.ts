import { TABLE_ORDER } from './move-tables.js';
import type { TableName } from './move-tables.js';

/** What a database holds, as far as the check after a move goes. */
export type CopyFacts = {
	readonly counts: ReadonlyMap<TableName, number>;
	/** Each attachment blob's key (the sha256 it is stored under) and the sha256 of its bytes, both hex. */
	readonly blobs: ReadonlyMap<string, string>;
};

/**
 * Everything that differs between the source and the copy: a table's row count, or an attachment whose bytes do not
 * hash to its key on either side (missing, damaged, or in one database only). Empty when the copy is whole.
 */
export function verifyCopy(source: CopyFacts, target: CopyFacts): string[] {
	const problems: string[] = [];
	for (const table of TABLE_ORDER) {
		const expected = source.counts.get(table) ?? 0;
		const actual = target.counts.get(table) ?? 0;
		if (expected !== actual) problems.push(`${table} has ${expected} rows in SQLite but ${actual} in PostgreSQL`);
	}
	for (const [key, digest] of source.blobs) {
		if (digest !== key) problems.push(`attachment ${short(key)}: its bytes in SQLite hash to ${short(digest)}`);
		const copied = target.blobs.get(key);
		if (copied === undefined) problems.push(`attachment ${short(key)} is missing in PostgreSQL`);
		else if (copied !== key)
			problems.push(`attachment ${short(key)}: its bytes in PostgreSQL hash to ${short(copied)}`);
	}
	for (const key of target.blobs.keys()) {
		if (!source.blobs.has(key)) problems.push(`attachment ${short(key)} is in PostgreSQL only`);
	}
	return problems;
}

function short(hash: string): string {
	return hash.length > 12 ? `${hash.slice(0, 12)}…` : hash;
}
