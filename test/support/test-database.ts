import { createLogger } from '../../src/log/logger.js';
import { MIGRATIONS_DIRECTORY, migrate } from '../../src/store/sqlite/migrate.js';
import type { SqliteDatabase } from '../../src/store/sqlite/open-database.js';
import { openDatabase } from '../../src/store/sqlite/open-database.js';
import type { Stores } from '../../src/store/ports/stores.js';
import { openSqliteStores } from '../../src/store/sqlite/open-sqlite-stores.js';

/** In-memory SQLite with the real migrations applied. */
export function openTestDatabase(): SqliteDatabase {
	const db = openDatabase(':memory:');
	migrate(db, MIGRATIONS_DIRECTORY);
	return db;
}

/** Every store over a fresh in-memory SQLite database (for unit tests of what sits on the ports). */
export function openTestStores(): Promise<Stores> {
	return Promise.resolve(openSqliteStores({ path: ':memory:', logger: createLogger('silent') }));
}
