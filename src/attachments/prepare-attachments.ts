import type { NewAttachment } from '../store/attachment-store.js';
import type { AttachmentFetcher } from './attachment-fetcher.js';
import { AttachmentRefused, megabytes, tooLarge } from './attachment-fetcher.js';
import type { AttachmentPlan } from './classify-attachment.js';
import { planAttachment, planForType } from './classify-attachment.js';

/** A file as Discord describes it on a message. */
export type PostedFile = {
	readonly name: string;
	readonly url: string;
	readonly contentType: string | undefined;
	/** What Discord says; checked before downloading, and the download itself is capped too. */
	readonly size: number;
};

export type PreparedFiles = {
	readonly files: NewAttachment[];
	/** Files left out, with why, for the one line under the reply. */
	readonly refused: { readonly name: string; readonly why: string }[];
};

export type PrepareLimits = {
	readonly fetcher: AttachmentFetcher;
	/** ATTACHMENT_MAX_BYTES. */
	readonly maxBytes: number;
	/** Inline bytes for one message: base64 adds a third, and Gemini takes about 20 MB per request. */
	readonly maxMessageBytes: number;
	/** Discord allows 10 files per message. */
	readonly maxFiles: number;
	readonly signal?: AbortSignal;
};

export const MAX_MESSAGE_INLINE_BYTES = 14 * 1_048_576;
export const MAX_FILES = 10;

/**
 * Downloads a message's files and turns them into what Gemini takes: images, PDFs, audio and video as they are
 * (GIFs and other image types as a PNG of their first frame), text files as text. Everything over a limit or of a
 * type Gemini cannot read is left out with a reason; the rest still goes.
 */
export async function prepareAttachments(posted: readonly PostedFile[], limits: PrepareLimits): Promise<PreparedFiles> {
	const files: NewAttachment[] = [];
	const refused: { name: string; why: string }[] = [];
	let inlineBytes = 0;
	for (const [index, file] of posted.entries()) {
		try {
			if (index >= limits.maxFiles) throw new AttachmentRefused(`more than ${limits.maxFiles} files in one message`);
			if (file.size > limits.maxBytes) throw tooLarge(file.size, limits.maxBytes);
			const planned = planAttachment(file.name, file.contentType);
			if (planned.kind === 'unsupported') throw new AttachmentRefused('not a file type I can read');
			const prepared = await toGemini(
				file,
				planned,
				await limits.fetcher.fetch(file.url, limits.maxBytes, limits.signal),
			);
			if (prepared.kind !== 'text' && inlineBytes + prepared.data.length > limits.maxMessageBytes) {
				throw new AttachmentRefused(`the files of one message may be ${megabytes(limits.maxMessageBytes)} at most`);
			}
			if (prepared.kind !== 'text') inlineBytes += prepared.data.length;
			files.push(prepared);
		} catch (error) {
			if (!(error instanceof AttachmentRefused)) throw error;
			refused.push({ name: file.name, why: error.message });
		}
	}
	return { files, refused };
}

/** Checks the bytes against the planned type (magic numbers win over what Discord said) and converts if needed. */
async function toGemini(file: PostedFile, planned: AttachmentPlan, data: Buffer): Promise<NewAttachment> {
	// Loaded on first use: start-up stays fast, and a bot nobody sends files to never loads them.
	const { fileTypeFromBuffer } = await import('file-type');
	const sniffed = await fileTypeFromBuffer(data);
	const actual = sniffed ? planForType(sniffed.mime) : planned;
	if (!actual || actual.kind === 'unsupported') {
		throw new AttachmentRefused(`not a file type I can read (it is ${sniffed?.ext ?? 'binary'} data)`);
	}
	if (actual.kind === 'text') {
		if (looksBinary(data)) throw new AttachmentRefused('not readable text');
		return { filename: file.name, mimeType: 'text/plain', kind: 'text', data };
	}
	// Media whose bytes have no known signature is not what it claims to be.
	if (!sniffed && actual.kind !== 'audio') throw new AttachmentRefused(`not a valid ${planned.kind} file`);
	if (!('convertToPng' in actual)) return { filename: file.name, mimeType: actual.mimeType, kind: actual.kind, data };
	try {
		const { default: sharp } = await import('sharp');
		const png = await sharp(data, { pages: 1 }).png().toBuffer();
		return { filename: file.name, mimeType: 'image/png', kind: 'image', data: png };
	} catch (error) {
		throw new AttachmentRefused('an image I could not read', { cause: error });
	}
}

function looksBinary(data: Buffer): boolean {
	const sample = data.subarray(0, 8_192);
	return sample.includes(0);
}
