/**
 * The database cannot be reached or written right now (PostgreSQL down or restarting, a SQLite file locked or on a
 * full disk): nothing was written, and the same call may work in a moment. Members get a short line instead of a
 * generic failure, and the bot catches up on what it missed once the database is back.
 */
export class StoreUnavailableError extends Error {
	override readonly name = 'StoreUnavailableError';
}

export function isStoreUnavailable(error: unknown): error is StoreUnavailableError {
	return error instanceof StoreUnavailableError;
}
