import type { TableName } from './move-tables.js';

/** Copying one table failed; `table` names it in the message. */
export class TableCopyError extends Error {
	override readonly name = 'TableCopyError';
	readonly table: TableName;

	constructor(table: TableName, cause: unknown) {
		super(`copying ${table} failed`, { cause });
		this.table = table;
	}
}
