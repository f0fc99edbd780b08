import Database from 'better-sqlite3';
import { describePostgresError } from '../postgres/open-pool.js';
import { MoveError } from './move-error.js';
import { TableCopyError } from './table-copy-error.js';

/**
 * One line for why the move stopped: MoveError's own, or the SQLite file's or PostgreSQL's error (without the
 * password), after the table being copied if there was one.
 */
export function describeFailure(error: unknown, url: string): string {
	if (error instanceof TableCopyError) return `Copying ${error.table} failed: ${describeFailure(error.cause, url)}`;
	if (error instanceof MoveError) return error.message;
	if (error instanceof Database.SqliteError) return `reading the SQLite database failed: ${error.message}`;
	return describePostgresError(error, url).replaceAll('(DATABASE_URL)', '(--to)');
}
