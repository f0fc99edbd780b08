import { Kysely, SqliteDialect } from 'kysely';
import { probeDatabase } from './probe-database.js';
import type { Logger } from '../../log/logger.js';
import { guardUnavailable } from '../kysely/guard-unavailable.js';
import { createKyselyStores } from '../kysely/stores.js';
import { isSqliteUnavailable } from './is-sqlite-unavailable.js';
import type { Schema } from '../kysely/schema.js';
import { MIGRATIONS_DIRECTORY, migrate } from './migrate.js';
import { openDatabase } from './open-database.js';
import type { OpenedStores } from '../ports/stores.js';
import { scrubFreePages, vacuumAfterUpgrade } from './scrub-free-pages.js';
import { withCachedStatements } from './cached-statements.js';

/** The SQLite file at `path` (created and migrated as needed) behind every store. */
export function openSqliteStores(options: {
	path: string;
	logger: Logger;
	onUnavailable?: (() => void) | undefined;
}): OpenedStores {
	const raw = openDatabase(options.path);
	try {
		const migration = migrate(raw, MIGRATIONS_DIRECTORY);
		if (vacuumAfterUpgrade(raw, migration)) {
			options.logger.info('database rewritten without text deleted before the upgrade');
		}
		options.logger.info({ backend: 'sqlite', ...migration }, 'database ready');
	} catch (error) {
		raw.close();
		throw error;
	}
	const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withCachedStatements(raw) }) });
	// Kysely holds the one connection for a whole transaction: what runs on it directly waits for its turn.
	const exclusive = <T>(work: () => T): Promise<T> => db.connection().execute(() => Promise.resolve(work()));
	return {
		...guardUnavailable(
			createKyselyStores(db, {
				dialect: 'sqlite',
				afterErase: async () => {
					await exclusive(() => scrubFreePages(raw));
				},
			}),
			{
				isUnavailable: isSqliteUnavailable,
				describe: (error) =>
					`the database at DATABASE_PATH cannot be written: ${error instanceof Error ? error.message : String(error)}`,
				onUnavailable: options.onUnavailable,
			},
		),
		database: {
			backend: 'sqlite',
			path: options.path,
			probe: () => (raw.open ? exclusive(() => probeDatabase(raw)) : Promise.resolve(probeDatabase(raw))),
			async close() {
				// Kysely closes only a connection it used.
				await db.destroy();
				if (raw.open) raw.close();
			},
		},
	};
}
