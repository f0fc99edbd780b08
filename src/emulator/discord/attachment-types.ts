/** An attachment a member posts (`userSays`) or passes to a slash command (`slash`). */
export type FakeAttachmentInput = {
	filename: string;
	data: Buffer;
	/** What Discord reports as `content_type`; omit to leave it out of the payload, as Discord sometimes does. */
	contentType?: string;
	/** The `Content-Type` the fake CDN answers with. @default contentType, else application/octet-stream */
	servedContentType?: string;
	/** `size` in the payload, to lie about it. @default data.length */
	reportedSize?: number;
	/** An explicit `url`/`proxy_url` (e.g. on another origin) instead of the fake CDN's signed link. */
	url?: string;
	/** Voice messages: length in seconds. */
	durationSecs?: number;
	/** Voice messages: base64 sampled waveform. */
	waveform?: string;
};

export type StoredAttachment = {
	id: string;
	filename: string;
	/** `content_type` as reported; undefined leaves it out of the payload. */
	contentType: string | undefined;
	/** The bytes the fake CDN serves; for bot uploads exactly what the bot sent. */
	data: Buffer;
	servedContentType?: string;
	reportedSize?: number;
	url?: string;
	durationSecs?: number;
	waveform?: string;
};

export type CdnRequest = {
	method: string;
	/** Path without the query string, as requested. */
	path: string;
	/** The attachment the path names, when it names one the fake knows. */
	attachmentId: string | undefined;
	status: number;
	at: number;
};

/** The fake's attachment CDN, served on the same origin as the REST API. */
export type FakeCdn = {
	/** `http://127.0.0.1:PORT`, the origin of every attachment URL the fake hands out. */
	readonly origin: string;
	/** Every request to an `/attachments/` or `/ephemeral-attachments/` path, in order. */
	readonly requests: readonly CdnRequest[];
	/** That attachment (or every attachment existing now, when omitted) answers 404 from then on, as expired links do. */
	expire(attachmentId?: string): void;
	/** That attachment answers 302 to `location` from then on. */
	redirect(attachmentId: string, location: string): void;
	/** Waits `ms` before each 64 KiB chunk of a body (the first one too, after the headers); 0 turns it off. */
	setChunkDelay(ms: number): void;
};
