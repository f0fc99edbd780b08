import Database from 'better-sqlite3';
import pg from 'pg';

/** Where a test bot's database is: a SQLite file, or a PostgreSQL URL (its own schema). */
export type TestDatabaseTarget =
	{ readonly backend: 'sqlite'; readonly path: string } | { readonly backend: 'postgres'; readonly url: string };

/**
 * Raw SQL for tests that look at (or plant) rows the bot's ports do not expose, on either backend: `?` placeholders,
 * integers as numbers on both (PostgreSQL's count() and BIGINT columns included).
 */
export type TestSql = {
	rows<T = Record<string, unknown>>(text: string, ...params: unknown[]): Promise<T[]>;
	/** The first column of the first row (undefined without rows). */
	value<T = unknown>(text: string, ...params: unknown[]): Promise<T | undefined>;
	close(): Promise<void>;
};

const INT8_OID = 20;

export function openTestSql(target: TestDatabaseTarget): TestSql {
	return target.backend === 'sqlite' ? sqliteSql(target.path) : postgresSql(target.url);
}

function sqliteSql(path: string): TestSql {
	let db: Database.Database | undefined;
	const open = (): Database.Database => {
		db ??= new Database(path);
		db.pragma('busy_timeout = 5000');
		return db;
	};
	const rows = <T>(text: string, params: unknown[]): T[] => {
		const statement = open().prepare(text);
		if (statement.reader) return statement.all(...params) as T[];
		statement.run(...params);
		return [];
	};
	return {
		rows: (text, ...params) => Promise.resolve(rows(text, params)),
		value<T>(text: string, ...params: unknown[]) {
			const [first] = rows<Record<string, unknown>>(text, params);
			return Promise.resolve(first === undefined ? undefined : (Object.values(first)[0] as T));
		},
		close() {
			db?.close();
			db = undefined;
			return Promise.resolve();
		},
	};
}

function postgresSql(url: string): TestSql {
	const pool = new pg.Pool({ connectionString: url, max: 2 });
	const rows = async <T>(text: string, params: unknown[]): Promise<T[]> => {
		let index = 0;
		const numbered = text.replace(/\?/g, () => `$${++index}`);
		const result = await pool.query<Record<string, unknown>>(numbered, params);
		const int8 = result.fields.filter((field) => field.dataTypeID === INT8_OID).map((field) => field.name);
		return result.rows.map((row) => {
			for (const name of int8) if (typeof row[name] === 'string') row[name] = Number(row[name]);
			return row as T;
		});
	};
	return {
		rows: (text, ...params) => rows(text, params),
		async value<T>(text: string, ...params: unknown[]) {
			const [first] = await rows<Record<string, unknown>>(text, params);
			return first === undefined ? undefined : (Object.values(first)[0] as T);
		},
		close: () => pool.end(),
	};
}
