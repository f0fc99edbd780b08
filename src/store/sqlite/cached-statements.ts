import type { SqliteDatabase as KyselySqliteDatabase } from 'kysely';
import type { SqliteDatabase } from './open-database.js';

type Statement = ReturnType<SqliteDatabase['prepare']>;

/**
 * The database as Kysely's SqliteDialect sees it, preparing each SQL text once: Kysely asks for a statement on every
 * query, and preparing costs about as much as running a short one. Safe because Kysely runs one query at a time on
 * the connection and never streams here (a statement being iterated cannot run again until it is done).
 */
export function withCachedStatements(db: SqliteDatabase, capacity = 256): KyselySqliteDatabase {
	const statements = new Map<string, Statement>();
	return {
		close() {
			statements.clear();
			db.close();
		},
		prepare(sql) {
			const cached = statements.get(sql);
			// Most recently used last, so that the first key is the one to evict.
			statements.delete(sql);
			const statement = cached ?? db.prepare(sql);
			statements.set(sql, statement);
			const oldest = statements.keys().next();
			if (statements.size > capacity && oldest.done !== true) statements.delete(oldest.value);
			return statement;
		},
	};
}
