import type { NewAttachment } from '../store/ports/attachment-store.js';
import type { AttachmentFetcher } from './attachment-fetcher.js';
import { AttachmentRefused, megabytes, tooLarge } from './attachment-fetcher.js';
import type { AttachmentPlan } from './classify-attachment.js';
import { planAttachment, planForType } from './classify-attachment.js';
import { decodeText } from './decode-text.js';
import { fitImage } from './fit-image.js';

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
	/**
	 * Bytes stored for one message, text files (as cut) included: base64 adds a third to inline files, and Gemini
	 * takes about 20 MB per request.
	 */
	readonly maxMessageBytes: number;
	/** Discord allows 10 files per message. */
	readonly maxFiles: number;
	readonly signal?: AbortSignal;
};

export const MAX_MESSAGE_INLINE_BYTES = 14 * 1_048_576;
export const MAX_FILES = 10;

/**
 * Downloads a message's files and turns them into what Gemini takes: PDFs, audio and video as they are, pictures
 * within the pixel limit and scaled down to what Gemini uses (GIFs and other image types as a PNG of their first
 * frame), text files as the text Gemini gets. Everything over a limit or of a type Gemini cannot read is left out
 * with a reason; the rest still goes.
 */
export async function prepareAttachments(posted: readonly PostedFile[], limits: PrepareLimits): Promise<PreparedFiles> {
	const files: NewAttachment[] = [];
	const refused: { name: string; why: string }[] = [];
	let messageBytes = 0;
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
			if (messageBytes + prepared.data.length > limits.maxMessageBytes) {
				throw new AttachmentRefused(`the files of one message may be ${megabytes(limits.maxMessageBytes)} at most`);
			}
			messageBytes += prepared.data.length;
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
		// Stored as Gemini gets it: only the start of a long file is ever sent.
		return { filename: file.name, mimeType: 'text/plain', kind: 'text', data: Buffer.from(decodeText(data)) };
	}
	// Media whose bytes have no known signature is not what it claims to be.
	if (!sniffed && actual.kind !== 'audio') throw new AttachmentRefused(`not a valid ${planned.kind} file`);
	const fitted = actual.kind === 'image' ? await fitImage(data, actual) : data;
	return { filename: file.name, mimeType: actual.mimeType, kind: actual.kind, data: fitted };
}

function looksBinary(data: Buffer): boolean {
	const sample = data.subarray(0, 8_192);
	return sample.includes(0);
}
