import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import type { Logger } from '../../log/logger.js';
import { guardUnavailable } from '../kysely/guard-unavailable.js';
import { createKyselyStores } from '../kysely/stores.js';
import { isPostgresUnavailable } from './is-postgres-unavailable.js';
import type { Schema } from '../kysely/schema.js';
import type { OpenedStores } from '../ports/stores.js';
import { migratePostgres } from './migrate-postgres.js';
import { describePostgresError, openPool } from './open-pool.js';

/** PostgreSQL could not be used at start-up; the message is one line naming DATABASE_URL, without the password. */
export class PostgresOpenError extends Error {
	override readonly name = 'PostgresOpenError';
}

// Short: /healthz should answer while the database hangs, and a probe waits for nothing but the server.
const PROBE_TIMEOUT_MS = 2_000;

/** PostgreSQL at `url` (migrated as needed) behind every store, through a pool of `poolSize` connections. */
export async function openPostgresStores(options: {
	url: string;
	poolSize: number;
	logger: Logger;
	searchPath?: string | undefined;
	onUnavailable?: (() => void) | undefined;
}): Promise<OpenedStores> {
	const pool = openPool({ url: options.url, size: options.poolSize, searchPath: options.searchPath });
	// An idle connection the server closed: the pool replaces it, but without a listener the process would exit.
	pool.on('error', (error) => {
		options.logger.warn({ err: error }, 'idle PostgreSQL connection closed');
	});
	// A connection lost while checked out (between two statements of a transaction, say) emits 'error' on its client,
	// which the pool does not listen to then: the statement under way fails by itself, so only keep the process up.
	pool.on('connect', (client) => {
		client.on('error', (error) => {
			options.logger.warn({ err: error }, 'PostgreSQL connection lost');
		});
	});
	try {
		const migration = await migratePostgres(pool);
		options.logger.info({ backend: 'postgres', ...migration }, 'database ready');
	} catch (error) {
		await pool.end();
		throw new PostgresOpenError(describePostgresError(error, options.url), { cause: error });
	}
	const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
	return {
		...guardUnavailable(createKyselyStores(db, { dialect: 'postgres' }), {
			isUnavailable: isPostgresUnavailable,
			describe: (error) => describePostgresError(error, options.url),
			onUnavailable: options.onUnavailable,
		}),
		database: {
			backend: 'postgres',
			probe: () => probePostgres(pool, options.url),
			async close() {
				// Kysely ends only a pool it used.
				await db.destroy();
				if (!pool.ended) await pool.end();
			},
		},
	};
}

/** Whether the bot could write now: a connection, and a transaction that is not read-only (a standby, say). */
export async function probePostgres(pool: pg.Pool, url: string): Promise<string | undefined> {
	let client: pg.PoolClient;
	try {
		client = await pool.connect();
	} catch (error) {
		return describePostgresError(error, url);
	}
	let failed = false;
	try {
		await client.query('BEGIN');
		await client.query(`SET LOCAL statement_timeout = ${PROBE_TIMEOUT_MS}`);
		const { rows } = await client.query<{ transaction_read_only: string }>('SHOW transaction_read_only');
		await client.query('ROLLBACK');
		return rows[0]?.transaction_read_only === 'off' ? undefined : 'the database is read-only (transaction_read_only)';
	} catch (error) {
		failed = true;
		return describePostgresError(error, url);
	} finally {
		client.release(failed);
	}
}
