import type { ExpressionBuilder, Kysely } from 'kysely';
import { sql } from 'kysely';
import type { StoreDialect } from './dialect.js';
import { changed } from './dialect.js';
import type { Schema } from './schema.js';

/** An attachment_blobs row no turn refers to any more. */
export function unreferenced(eb: ExpressionBuilder<Schema, 'attachment_blobs'>) {
	return eb.not(
		eb.exists(
			eb
				.selectFrom('turn_attachments')
				.select(sql<number>`1`.as('one'))
				.whereRef('turn_attachments.sha256', '=', 'attachment_blobs.sha256'),
		),
	);
}

/** Deletes the stored bytes among `hashes` that no turn refers to any more; returns how many. */
export async function deleteUnusedBlobs(
	db: Kysely<Schema>,
	dialect: StoreDialect,
	hashes: readonly string[],
): Promise<number> {
	if (hashes.length === 0) return 0;
	// Locked first, so that this statement sees a turn that took the same file meanwhile (see dialect.lockBlobs).
	await dialect.lockBlobs(db, hashes);
	const result = await db
		.deleteFrom('attachment_blobs')
		.where('sha256', 'in', hashes)
		.where(unreferenced)
		.executeTakeFirst();
	return changed(result);
}
