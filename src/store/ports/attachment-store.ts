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

/** Files stored with turns, their bytes kept once per content hash (a constraint, not a convention). */
export type AttachmentStore = {
	/** Stores the files of a turn (in order) and returns what was stored; a deleted turn keeps none. */
	add(turnId: number, attachments: readonly NewAttachment[]): Promise<TurnAttachment[]>;
	/** Adds files already stored (for example the picture a member replies to) to another turn. */
	link(turnId: number, attachments: readonly TurnAttachment[]): Promise<void>;
	of(turnId: number): Promise<TurnAttachment[]>;
	bytes(sha256: string): Promise<Buffer | undefined>;
	/** Deletes bytes no turn refers to any more; returns how many. */
	prune(): Promise<number>;
};
