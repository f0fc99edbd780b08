import type pg from 'pg';
import { migratePostgres } from '../postgres/migrate-postgres.js';
import { openPool } from '../postgres/open-pool.js';
import { copySnapshot } from './copy-snapshot.js';
import type { CopiedTable } from './copy-snapshot.js';
import { DEFAULT_BATCH_LIMITS } from './copy-table.js';
import type { BatchLimits } from './copy-table.js';
import { describeFailure } from './describe-failure.js';
import { lockEmptyTarget } from './lock-empty-target.js';
import type { TableName } from './move-tables.js';
import { MoveError } from './move-error.js';
import { openSource } from './open-source.js';
import { parseTargetUrl } from './parse-target-url.js';

export type MoveDataOptions = {
	/** The SQLite file (DATABASE_PATH). */
	readonly from: string;
	/** A `postgres://` or `postgresql://` URL; its database (or the schema its search_path names) must be empty. */
	readonly to: string;
	/** @default DEFAULT_BATCH_LIMITS */
	readonly batch?: BatchLimits | undefined;
	/** Told after each table is copied (not committed yet), for progress lines. */
	readonly onTable?: ((table: TableName, rows: number) => void) | undefined;
};

export type MoveSummary = {
	/** Where the data went, as `host:port/database`. */
	readonly target: string;
	readonly tables: readonly CopiedTable[];
	/** Attachments whose bytes in PostgreSQL hash to their key. */
	readonly blobsVerified: number;
	readonly durationMs: number;
};

/**
 * Copies the SQLite database at `from` into the empty PostgreSQL database at `to`: migrates the target's schema,
 * refuses it unless every table is empty, copies every table in one transaction, and commits only after the copy
 * matches the source (row counts, attachment checksums). A failure leaves the target without any row. Throws a
 * MoveError whose message is one line, without the password.
 */
export async function moveData(options: MoveDataOptions): Promise<MoveSummary> {
	const started = performance.now();
	const target = parseTargetUrl(options.to);
	const source = openSource(options.from);
	const pool = openPool({ url: options.to, size: 1 });
	// An idle connection the server closed: the next query fails by itself, and the process must not exit here.
	pool.on('error', () => undefined);
	try {
		await migratePostgres(pool).catch((error: unknown) => {
			throw new MoveError(describeFailure(error, options.to), { cause: error });
		});
		const copy = await inTransaction(pool, options.to, async (client) => {
			await lockEmptyTarget(client, target);
			return copySnapshot(source, client, { limits: options.batch ?? DEFAULT_BATCH_LIMITS, onTable: options.onTable });
		});
		return { target, ...copy, durationMs: performance.now() - started };
	} finally {
		source.close();
		await pool.end();
	}
}

/** Runs `work` in one transaction on one connection: committed if it resolves, rolled back if it throws. */
async function inTransaction<T>(pool: pg.Pool, url: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
	let client: pg.PoolClient;
	try {
		client = await pool.connect();
	} catch (error) {
		throw new MoveError(describeFailure(error, url), { cause: error });
	}
	let broken = false;
	try {
		await client.query('BEGIN');
		const result = await work(client);
		await client.query('COMMIT');
		return result;
	} catch (error) {
		await client.query('ROLLBACK').catch(() => {
			broken = true;
		});
		if (error instanceof MoveError) throw error;
		throw new MoveError(`${describeFailure(error, url)}. Nothing was committed to PostgreSQL`, { cause: error });
	} finally {
		client.release(broken);
	}
}
