import type { Expression, Kysely, RawBuilder, SqlBool } from 'kysely';
import { sql } from 'kysely';
import type { Flag, Schema } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

/** Everything the two backends spell differently; every query goes through this rather than testing the name. */
export type StoreDialect = {
	readonly name: DialectName;
	/** The larger of a column and a value: SQLite's scalar max(), PostgreSQL's GREATEST. */
	greatest(column: Expression<number>, value: number): RawBuilder<number>;
	/** Whether the JSON array in `column` holds the string `value`. */
	jsonArrayHas(column: Expression<string | null>, value: string): RawBuilder<SqlBool>;
	/** A value for a JSON column, typed for PostgreSQL where it cannot infer the column's type (in a CASE). */
	json(text: string | null): RawBuilder<string | null>;
	/** better-sqlite3 binds no booleans; PostgreSQL's BOOLEAN takes no integers. */
	flag(value: boolean): Flag;
	/**
	 * PostgreSQL runs transactions side by side: the ones that read a thread's turns and then write from what they
	 * read lock its session row first (the thread's lock), so a second one waits and then reads what the first wrote.
	 * SQLite has one writer at a time already: nothing to do. Resolves to whether it took locks, after which what the
	 * transaction read before them may be out of date.
	 */
	lockThreads(db: Kysely<Schema>, threadIds: readonly string[]): Promise<boolean>;
	lockThreadOfTurn(db: Kysely<Schema>, turnId: number): Promise<void>;
	/** Locks stored files before deleting the unused ones, so that a turn adding the same file meanwhile waits. */
	lockBlobs(db: Kysely<Schema>, hashes: readonly string[]): Promise<void>;
};

const SQLITE: StoreDialect = {
	name: 'sqlite',
	greatest: (column, value) => sql<number>`max(${column}, ${value})`,
	jsonArrayHas: (column, value) =>
		sql<SqlBool>`exists (select 1 from json_each(${column}) where json_each.value = ${value})`,
	json: (text) => sql<string | null>`${text}`,
	flag: (value) => (value ? 1 : 0),
	lockThreads: () => Promise.resolve(false),
	lockThreadOfTurn: () => Promise.resolve(),
	lockBlobs: () => Promise.resolve(),
};

const POSTGRES: StoreDialect = {
	name: 'postgres',
	greatest: (column, value) => sql<number>`greatest(${column}, ${value})`,
	jsonArrayHas: (column, value) => sql<SqlBool>`${column} @> jsonb_build_array(cast(${value} as text))`,
	json: (text) => sql<string | null>`cast(${text} as jsonb)`,
	flag: (value) => value,
	async lockThreads(db, threadIds) {
		if (threadIds.length === 0) return false;
		// In one order, so that two batches locking several threads cannot deadlock.
		await db
			.selectFrom('sessions')
			.select('thread_id')
			.where('thread_id', 'in', threadIds)
			.orderBy('thread_id')
			.forNoKeyUpdate()
			.execute();
		return true;
	},
	async lockThreadOfTurn(db, turnId) {
		await db
			.selectFrom('sessions')
			.select('thread_id')
			.where('thread_id', '=', (eb) => eb.selectFrom('messages').select('thread_id').where('id', '=', turnId))
			.forNoKeyUpdate()
			.execute();
	},
	async lockBlobs(db, hashes) {
		if (hashes.length === 0) return;
		await db
			.selectFrom('attachment_blobs')
			.select('sha256')
			.where('sha256', 'in', hashes)
			.orderBy('sha256')
			.forUpdate()
			.execute();
	},
};

export function storeDialect(name: DialectName): StoreDialect {
	return name === 'sqlite' ? SQLITE : POSTGRES;
}

/** A flag column as the domain reads it. */
export function isSet(value: Flag): boolean {
	return value === true || value === 1;
}

/** The exchange a turn belongs to (its question's id): what the context is ordered by and a summary covers. */
export const EXCHANGE = sql<number>`coalesce(reply_to_id, id)`;

/** A condition no row meets: an empty `IN` list (which PostgreSQL cannot parse), or an upsert that only locks. */
export const NO_ROW = sql<SqlBool>`1 = 0`;

/** Rows a statement changed, which both drivers report as a bigint. */
export function changed(result: { numUpdatedRows: bigint } | { numDeletedRows: bigint }): number {
	return Number('numUpdatedRows' in result ? result.numUpdatedRows : result.numDeletedRows);
}
