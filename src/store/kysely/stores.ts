import type { Kysely } from 'kysely';
import type { Stores } from '../ports/stores.js';
import { createKyselyAttachmentStore } from './attachment-store.js';
import type { DialectName } from './dialect.js';
import { storeDialect } from './dialect.js';
import { createKyselyForgetStore } from './forget-store.js';
import { createKyselyModelSettingsStore } from './model-settings-store.js';
import { createKyselyPersonaStore } from './persona-store.js';
import { createKyselyRetentionStore } from './retention-store.js';
import type { Schema } from './schema.js';
import { createKyselySessionStore } from './session-store.js';
import { createKyselySettingsStore } from './settings-store.js';
import type { StoreOptions } from './store-options.js';
import { createKyselyThreadSummaryStore } from './thread-summary-store.js';
import { createKyselyUsageStore } from './usage-store.js';

export type KyselyStoresOptions = {
	readonly dialect: DialectName;
	/** Epoch ms. @default Date.now */
	readonly now?: (() => number) | undefined;
	/** See StoreOptions.afterErase. @default nothing */
	readonly afterErase?: (() => Promise<void>) | undefined;
};

/** Every store over one Kysely database, SQLite or PostgreSQL; the caller owns the database (`Stores.database`). */
export function createKyselyStores(db: Kysely<Schema>, options: KyselyStoresOptions): Omit<Stores, 'database'> {
	const shared: StoreOptions = {
		dialect: storeDialect(options.dialect),
		now: options.now ?? Date.now,
		afterErase: options.afterErase ?? (() => Promise.resolve()),
	};
	return {
		sessions: createKyselySessionStore(db, shared),
		attachments: createKyselyAttachmentStore(db, shared),
		usage: createKyselyUsageStore(db, shared),
		personas: createKyselyPersonaStore(db, shared),
		settings: createKyselySettingsStore(db, shared),
		modelSettings: createKyselyModelSettingsStore(db, shared),
		summaries: createKyselyThreadSummaryStore(db, shared),
		forget: createKyselyForgetStore(db, shared),
		retention: createKyselyRetentionStore(db, shared),
	};
}
