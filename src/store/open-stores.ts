import type { Logger } from '../log/logger.js';
import type { OpenedStores } from './ports/stores.js';
import { openPostgresStores } from './postgres/open-postgres-stores.js';
import { openSqliteStores } from './sqlite/open-sqlite-stores.js';

export type OpenStoresOptions = {
	/** DATABASE_PATH: the SQLite file, used when there is no `databaseUrl`. */
	readonly databasePath: string;
	/** DATABASE_URL: `postgres://…`; when set, PostgreSQL holds everything and `databasePath` is not used. */
	readonly databaseUrl?: string | undefined;
	/** DATABASE_POOL_SIZE: PostgreSQL connections at most. @default 10 */
	readonly poolSize?: number | undefined;
	readonly logger: Logger;
	/** Told whenever a store call finds the database unreachable (see StoreUnavailableError). */
	readonly onUnavailable?: (() => void) | undefined;
};

/**
 * Opens the database (SQLite unless DATABASE_URL is set), applies its migrations and returns every store over it.
 * Throws a DatabaseOpenError (SQLite) or a PostgresOpenError with a one-line message when it cannot.
 */
export async function openStores(options: OpenStoresOptions): Promise<OpenedStores> {
	if (options.databaseUrl === undefined) {
		return openSqliteStores({
			path: options.databasePath,
			logger: options.logger,
			onUnavailable: options.onUnavailable,
		});
	}
	return openPostgresStores({
		url: options.databaseUrl,
		poolSize: options.poolSize ?? 10,
		logger: options.logger,
		onUnavailable: options.onUnavailable,
	});
}
