import { errorCode } from './open-pool.js';

// Sockets that failed or closed, and the server's own "not now": shutting down, starting, full, a standby.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300', '25006']);
// pg reports a dropped connection and a pool that could not connect in time by message only.
const DROPPED = /Connection terminated|timeout exceeded when trying to connect|not queryable|Connection ended/i;

/** Whether the error says PostgreSQL cannot be reached or written now, rather than that the query was wrong. */
export function isPostgresUnavailable(error: unknown): boolean {
	const code = errorCode(error);
	if (typeof code === 'string' && (NETWORK_CODES.has(code) || SERVER_CODES.has(code) || code.startsWith('08'))) {
		return true;
	}
	return error instanceof Error && DROPPED.test(error.message);
}
