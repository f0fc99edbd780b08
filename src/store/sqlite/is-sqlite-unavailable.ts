// A file another process holds locked, a full or failing disk, a file made read-only: the query was fine.
const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY|CANTOPEN)/;

/** Whether the error says the SQLite file cannot be written now, rather than that the query was wrong. */
export function isSqliteUnavailable(error: unknown): boolean {
	const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
	return typeof code === 'string' && UNAVAILABLE.test(code);
}
