import pg from 'pg';

export type PoolOptions = {
	/** DATABASE_URL: `postgres://user:password@host:port/database`. */
	readonly url: string;
	/** DATABASE_POOL_SIZE: connections at most. */
	readonly size: number;
	/** A schema to use instead of the URL's (`search_path`): the contract tests' own schema, say. */
	readonly searchPath?: string | undefined;
	/**
	 * How long to wait for a connection, in ms, before a query fails (the server down, the pool exhausted).
	 * @default 10_000
	 */
	readonly connectionTimeoutMs?: number | undefined;
};

const { INT8, NUMERIC, JSON: JSON_TYPE, JSONB } = pg.types.builtins;
const asNumber = (value: string): number => Number(value);
const asText = (value: string): string => value;

/**
 * Rows as SQLite gives them, for this pool only (not pg's module-wide parsers): BIGINT ids, epoch-ms times, counts
 * and sums as numbers (all far below 2^53; snowflakes are TEXT, never parsed), JSON as its text.
 */
const SQLITE_LIKE_TYPES: pg.CustomTypesConfig = {
	getTypeParser(id, format) {
		if (format === undefined || format === 'text') {
			if (id === INT8 || id === NUMERIC) return asNumber;
			if (id === JSON_TYPE || id === JSONB) return asText;
		}
		const parser: unknown = pg.types.getTypeParser(id, format);
		return parser;
	},
};

export function openPool(options: PoolOptions): pg.Pool {
	return new pg.Pool({
		connectionString: options.url,
		max: options.size,
		connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
		types: SQLITE_LIKE_TYPES,
		...(options.searchPath === undefined ? {} : { options: `-c search_path=${options.searchPath}` }),
	});
}

/**
 * One line naming DATABASE_URL for why PostgreSQL could not be used: the server refused the connection, the login
 * failed, the database is missing, or else the error's first line. Never the password.
 */
export function describePostgresError(error: unknown, url: string): string {
	const target = describeTarget(url);
	const where = `PostgreSQL at ${target.address} (DATABASE_URL)`;
	const code = errorCode(error);
	if (code === 'ECONNREFUSED') return `${where} refused the connection: is the server running and listening there?`;
	if (code === '28P01' || code === '28000' || /password|SASL/.test(firstLine(error))) {
		const who = target.user === '' ? 'the login' : `the login of user "${target.user}"`;
		return `${where} rejected ${who}: authentication failed; check the user and password`;
	}
	if (code === '3D000') return `${where} has no database "${target.database}": create it (createdb ${target.database})`;
	return redact(`${where}: ${firstLine(error)}`, target.password);
}

function describeTarget(url: string) {
	try {
		const parsed = new URL(url);
		const host = parsed.searchParams.get('host') ?? (parsed.hostname || 'localhost');
		return {
			address: `${host}:${parsed.port || '5432'}`,
			user: decodeURIComponent(parsed.username),
			database: decodeURIComponent(parsed.pathname.slice(1)) || decodeURIComponent(parsed.username) || 'postgres',
			password: decodeURIComponent(parsed.password),
		};
	} catch {
		return { address: 'an unreadable address', user: '', database: '?', password: '' };
	}
}

// Node reports both addresses of a name such as localhost in one AggregateError: refused if every one was.
export function errorCode(error: unknown): unknown {
	if (error instanceof AggregateError && error.errors.length > 0) {
		const codes = new Set(error.errors.map(errorCode));
		return codes.size === 1 ? [...codes][0] : undefined;
	}
	return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

function firstLine(error: unknown): string {
	const message = error instanceof Error ? error.message || error.name : String(error);
	return message.split('\n', 1)[0] ?? '';
}

function redact(text: string, password: string): string {
	return password === '' ? text : text.split(password).join('***');
}
