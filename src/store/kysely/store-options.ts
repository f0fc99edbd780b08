import type { Kysely } from 'kysely';
import type { StoreDialect } from './dialect.js';
import type { Schema } from './schema.js';

/** What every Kysely store is made with, besides the database. */
export type StoreOptions = {
	readonly dialect: StoreDialect;
	/** Epoch ms. */
	readonly now: () => number;
	/**
	 * Runs after a transaction deleted or overwrote content (erase, withdraw, edit, /forget, a retention batch): on
	 * SQLite it checkpoints the WAL so that no earlier version of a page keeps the old text (see scrub-free-pages.ts).
	 */
	readonly afterErase: () => Promise<void>;
};

/** Keeps a session's last activity from going back in time (turns may arrive out of order). */
export async function touchSession(db: Kysely<Schema>, options: StoreOptions, threadId: string): Promise<void> {
	await db
		.updateTable('sessions')
		.set((eb) => ({ updated_at: options.dialect.greatest(eb.ref('updated_at'), options.now()) }))
		.where('thread_id', '=', threadId)
		.execute();
}
