import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { AttachmentStore, TurnAttachment } from '../ports/attachment-store.js';
import { NO_ROW } from './dialect.js';
import type { Schema } from './schema.js';
import type { StoreOptions } from './store-options.js';
import { deleteUnusedBlobs, unreferenced } from './unused-blobs.js';

/** Files stored with turns over Kysely; the bytes are kept once per sha256 (the table's primary key). */
export function createKyselyAttachmentStore(
	db: Kysely<Schema>,
	options: Pick<StoreOptions, 'dialect'>,
): AttachmentStore {
	const { dialect } = options;
	// Files download after their message was stored: a message deleted (or withdrawn) meanwhile keeps none.
	const isLive = async (trx: Kysely<Schema>, turnId: number) => {
		await dialect.lockThreadOfTurn(trx, turnId);
		const row = await trx
			.selectFrom('messages')
			.select('id')
			.where('id', '=', turnId)
			.where('deleted_at', 'is', null)
			.executeTakeFirst();
		return row !== undefined;
	};
	const link = async (trx: Kysely<Schema>, turnId: number, attachments: readonly TurnAttachment[]) => {
		const { next } = await trx
			.selectFrom('turn_attachments')
			.select(sql<number>`coalesce(max(position) + 1, 0)`.as('next'))
			.where('turn_id', '=', turnId)
			.executeTakeFirstOrThrow();
		await trx
			.insertInto('turn_attachments')
			.values(
				attachments.map((file, index) => ({
					turn_id: turnId,
					position: next + index,
					filename: file.filename,
					mime_type: file.mimeType,
					kind: file.kind,
					size: file.size,
					sha256: file.sha256,
				})),
			)
			.execute();
		await trx
			.updateTable('messages')
			.set((eb) => ({ attachment_count: eb('attachment_count', '+', attachments.length) }))
			.where('id', '=', turnId)
			.execute();
	};

	return {
		async add(turnId, attachments) {
			if (attachments.length === 0) return [];
			// Hashed before the transaction, which on SQLite holds the one connection.
			const hashed = attachments.map((file) => ({
				file,
				sha256: createHash('sha256').update(file.data).digest('hex'),
			}));
			const stored = hashed.map(({ file, sha256 }) => ({
				filename: file.filename,
				mimeType: file.mimeType,
				kind: file.kind,
				size: file.data.length,
				sha256,
			}));
			const blobs = [...new Map(hashed.map(({ file, sha256 }) => [sha256, file.data]))].sort(([a], [b]) =>
				a < b ? -1 : 1,
			);
			return db.transaction().execute(async (trx) => {
				if (!(await isLive(trx, turnId))) return [];
				// In hash order, as deleteUnusedBlobs locks them. On a conflict the row is locked, not rewritten (WHERE
				// false): a concurrent deletion then waits for this turn, or has deleted it and this inserts it again.
				for (const [sha256, data] of blobs) {
					await trx
						.insertInto('attachment_blobs')
						.values({ sha256, data, size: data.length })
						.onConflict((conflict) =>
							conflict
								.column('sha256')
								.doUpdateSet((eb) => ({ size: eb.ref('excluded.size') }))
								.where(NO_ROW),
						)
						.execute();
				}
				await link(trx, turnId, stored);
				return stored;
			});
		},
		async link(turnId, attachments) {
			if (attachments.length === 0) return;
			await db.transaction().execute(async (trx) => {
				if (await isLive(trx, turnId)) await link(trx, turnId, attachments);
			});
		},
		async of(turnId) {
			const rows = await db
				.selectFrom('turn_attachments')
				.select(['filename', 'mime_type', 'kind', 'size', 'sha256'])
				.where('turn_id', '=', turnId)
				.orderBy('position')
				.execute();
			return rows.map((row) => ({
				filename: row.filename,
				mimeType: row.mime_type,
				kind: row.kind,
				size: row.size,
				sha256: row.sha256,
			}));
		},
		async bytes(sha256) {
			const row = await db
				.selectFrom('attachment_blobs')
				.select('data')
				.where('sha256', '=', sha256)
				.executeTakeFirst();
			return row?.data;
		},
		prune: () =>
			db.transaction().execute(async (trx) => {
				const unused = await trx.selectFrom('attachment_blobs').select('sha256').where(unreferenced).execute();
				return deleteUnusedBlobs(
					trx,
					dialect,
					unused.map((row) => row.sha256),
				);
			}),
	};
}
