import { MIGRATIONS_DIRECTORY, migrate } from '../../src/store/migrate.js';
import type { SqliteDatabase } from '../../src/store/open-database.js';
import { openDatabase } from '../../src/store/open-database.js';

/** In-memory SQLite with the real migrations applied. */
export function openTestDatabase(): SqliteDatabase {
	const db = openDatabase(':memory:');
	migrate(db, MIGRATIONS_DIRECTORY);
	return db;
}
