import { createHash } from 'node:crypto';
import type { SqliteDatabase } from './open-database.js';

export type AttachmentKind = 'image' | 'pdf' | 'audio' | 'video' | 'text';

/** A file stored with a turn. */
export type TurnAttachment = {
	readonly filename: string;
	readonly mimeType: string;
	readonly kind: AttachmentKind;
	readonly size: number;
	readonly sha256: string;
};

export type NewAttachment = Omit<TurnAttachment, 'sha256' | 'size'> & { readonly data: Buffer };

/** Files stored with turns, their bytes kept once per content hash. */
export type AttachmentStore = {
	/** Stores the files of a turn (in order) and returns what was stored. */
	add(turnId: number, attachments: readonly NewAttachment[]): TurnAttachment[];
	/** Adds files already stored (for example the picture a member replies to) to another turn. */
	link(turnId: number, attachments: readonly TurnAttachment[]): void;
	of(turnId: number): TurnAttachment[];
	bytes(sha256: string): Buffer | undefined;
	/** Deletes bytes no turn refers to any more; returns how many. */
	prune(): number;
};

type AttachmentRow = { filename: string; mime_type: string; kind: AttachmentKind; size: number; sha256: string };

export function createAttachmentStore(db: SqliteDatabase): AttachmentStore {
	const insertBlob = db.prepare<[string, Buffer, number]>(
		'INSERT INTO attachment_blobs (sha256, data, size) VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING',
	);
	const nextPosition = db.prepare<[number], { next: number }>(
		'SELECT coalesce(max(position) + 1, 0) AS next FROM turn_attachments WHERE turn_id = ?',
	);
	const insertLink = db.prepare<[number, number, string, string, string, number, string]>(
		`INSERT INTO turn_attachments (turn_id, position, filename, mime_type, kind, size, sha256)
		 VALUES (?, ?, ?, ?, ?, ?, ?)`,
	);
	const countUp = db.prepare<[number, number]>(
		'UPDATE messages SET attachment_count = attachment_count + ? WHERE id = ?',
	);
	const select = db.prepare<[number], AttachmentRow>(
		'SELECT filename, mime_type, kind, size, sha256 FROM turn_attachments WHERE turn_id = ? ORDER BY position',
	);
	const selectBytes = db.prepare<[string], { data: Buffer }>('SELECT data FROM attachment_blobs WHERE sha256 = ?');
	const pruneBlobs = db.prepare(
		'DELETE FROM attachment_blobs WHERE sha256 NOT IN (SELECT sha256 FROM turn_attachments)',
	);

	// Files download after their message was stored: a message deleted (or withdrawn) meanwhile keeps none.
	const isLive = db.prepare<[number], number>('SELECT 1 FROM messages WHERE id = ? AND deleted_at IS NULL').pluck();
	const link = db.transaction((turnId: number, attachments: readonly TurnAttachment[]): void => {
		if (isLive.get(turnId) === undefined) return;
		let position = nextPosition.get(turnId)?.next ?? 0;
		for (const file of attachments) {
			insertLink.run(turnId, position, file.filename, file.mimeType, file.kind, file.size, file.sha256);
			position += 1;
		}
		countUp.run(attachments.length, turnId);
	});
	const add = db.transaction((turnId: number, attachments: readonly NewAttachment[]): TurnAttachment[] => {
		if (isLive.get(turnId) === undefined) return [];
		const stored = attachments.map((file) => {
			const sha256 = createHash('sha256').update(file.data).digest('hex');
			insertBlob.run(sha256, file.data, file.data.length);
			return { filename: file.filename, mimeType: file.mimeType, kind: file.kind, size: file.data.length, sha256 };
		});
		link(turnId, stored);
		return stored;
	});

	return {
		add: (turnId, attachments) => (attachments.length === 0 ? [] : add(turnId, attachments)),
		link(turnId, attachments) {
			if (attachments.length > 0) link(turnId, attachments);
		},
		of: (turnId) =>
			select.all(turnId).map((row) => ({
				filename: row.filename,
				mimeType: row.mime_type,
				kind: row.kind,
				size: row.size,
				sha256: row.sha256,
			})),
		bytes: (sha256) => selectBytes.get(sha256)?.data,
		prune: () => pruneBlobs.run().changes,
	};
}
