import type { AttachmentStore } from './attachment-store.js';
import type { ForgetStore } from './forget-store.js';
import type { ModelSettingsStore } from './model-settings-store.js';
import type { PersonaStore } from './persona-store.js';
import type { RetentionStore } from './retention-store.js';
import type { SessionStore } from './session-store.js';
import type { SettingsStore } from './settings-store.js';
import type { ThreadSummaryStore } from './thread-summary-store.js';
import type { UsageStore } from './usage-store.js';

/** Every store over one database, and the database's own life: health, backups, closing. */
export type Stores = {
	readonly sessions: SessionStore;
	readonly attachments: AttachmentStore;
	readonly usage: UsageStore;
	readonly personas: PersonaStore;
	readonly settings: SettingsStore;
	readonly modelSettings: ModelSettingsStore;
	readonly summaries: ThreadSummaryStore;
	readonly forget: ForgetStore;
	readonly retention: RetentionStore;
	readonly database: StoreDatabase;
};

/** The database behind the stores. */
export type StoreDatabase = {
	/** 'sqlite' (DATABASE_PATH) or 'postgres' (DATABASE_URL). */
	readonly backend: 'sqlite' | 'postgres';
	/** Whether the bot could write now: undefined if so, otherwise why not (for /healthz). */
	probe(): Promise<string | undefined>;
	close(): Promise<void>;
};

export type SqliteStoreDatabase = StoreDatabase & {
	readonly backend: 'sqlite';
	/** The database file, for the backup script (`:memory:` in some tests). */
	readonly path: string;
};
export type PostgresStoreDatabase = StoreDatabase & { readonly backend: 'postgres' };

/** Every store, and which database is behind them. */
export type OpenedStores = Stores & { readonly database: SqliteStoreDatabase | PostgresStoreDatabase };
