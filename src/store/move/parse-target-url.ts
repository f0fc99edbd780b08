import { MoveError } from './move-error.js';

/**
 * Checks that `--to` is a PostgreSQL URL and returns where it points, fit to print: `host:port/database`, never the
 * user's password.
 */
export function parseTargetUrl(url: string): string {
	let parsed: URL | undefined;
	try {
		parsed = new URL(url);
	} catch {
		parsed = undefined;
	}
	if (parsed?.protocol !== 'postgres:' && parsed?.protocol !== 'postgresql:') {
		throw new MoveError(
			'--to must be a PostgreSQL URL such as postgres://user:password@host:5432/database (postgres:// or postgresql://)',
		);
	}
	const host = parsed.searchParams.get('host') ?? (parsed.hostname || 'localhost');
	const database = decodeURIComponent(parsed.pathname.slice(1)) || decodeURIComponent(parsed.username) || 'postgres';
	return `${host}:${parsed.port || '5432'}/${database}`;
}
