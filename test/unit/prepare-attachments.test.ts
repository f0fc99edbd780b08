import { describe, expect, it } from 'vitest';
import type { AttachmentFetcher } from '../../src/attachments/attachment-fetcher.js';
import { planAttachment } from '../../src/attachments/classify-attachment.js';
import { prepareAttachments } from '../../src/attachments/prepare-attachments.js';
import { sampleFiles } from '../support/sample-files.js';

const fetcherOf = (files: Record<string, Buffer>): AttachmentFetcher => ({
	fetch: (url) => Promise.resolve(files[url] ?? Buffer.alloc(0)),
});
const limits = { maxBytes: 10 * 1_048_576, maxMessageBytes: 14 * 1_048_576, maxFiles: 10 };

describe('planAttachment', () => {
	it('knows what Gemini takes inline, what to convert, what to send as text, and what to leave out', () => {
		expect(planAttachment('a.png', 'image/png')).toEqual({ kind: 'image', mimeType: 'image/png' });
		expect(planAttachment('a.gif', 'image/gif')).toEqual({ kind: 'image', mimeType: 'image/png', convertToPng: true });
		expect(planAttachment('voice-message.ogg', 'audio/ogg')).toEqual({ kind: 'audio', mimeType: 'audio/ogg' });
		expect(planAttachment('song.m4a', undefined)).toEqual({ kind: 'audio', mimeType: 'audio/aac' });
		expect(planAttachment('clip.mov', undefined)).toEqual({ kind: 'video', mimeType: 'video/quicktime' });
		expect(planAttachment('main.rs', 'application/octet-stream')).toEqual({ kind: 'text', mimeType: 'text/plain' });
		expect(planAttachment('data', 'application/json; charset=utf-8')).toEqual({ kind: 'text', mimeType: 'text/plain' });
		expect(planAttachment('setup.exe', 'application/x-msdownload')).toEqual({ kind: 'unsupported' });
		expect(planAttachment('mystery', undefined)).toEqual({ kind: 'unsupported' });
	});
});

describe('prepareAttachments', () => {
	it('keeps at most 10 files of a message and names the rest', async () => {
		const png = await sampleFiles.png();
		const posted = Array.from({ length: 12 }, (_, index) => ({
			name: `p${index}.png`,
			url: `u${index}`,
			contentType: 'image/png',
			size: png.length,
		}));
		const files = Object.fromEntries(posted.map((file) => [file.url, png]));
		const prepared = await prepareAttachments(posted, { ...limits, fetcher: fetcherOf(files) });
		expect(prepared.files).toHaveLength(10);
		expect(prepared.refused).toEqual([
			{ name: 'p10.png', why: 'more than 10 files in one message' },
			{ name: 'p11.png', why: 'more than 10 files in one message' },
		]);
	});

	it('keeps the inline files of one message within the request limit', async () => {
		const pdf = Buffer.concat([sampleFiles.pdf(), Buffer.alloc(600 * 1_024)]);
		const posted = ['a', 'b', 'c'].map((name) => ({
			name: `${name}.pdf`,
			url: name,
			contentType: 'application/pdf',
			size: pdf.length,
		}));
		const prepared = await prepareAttachments(posted, {
			...limits,
			maxMessageBytes: 1_048_576 + 512 * 1_024,
			fetcher: fetcherOf({ a: pdf, b: pdf, c: pdf }),
		});
		expect(prepared.files.map((file) => file.filename)).toEqual(['a.pdf', 'b.pdf']);
		expect(prepared.refused).toEqual([{ name: 'c.pdf', why: 'the files of one message may be 1.5 MB at most' }]);
	});

	it('refuses bytes that are not what the file claims to be, and binary data posing as text', async () => {
		const posted = [
			{ name: 'fake.png', url: 'a', contentType: 'image/png', size: 10 },
			{ name: 'archive.txt', url: 'b', contentType: 'text/plain', size: 10 },
			{ name: 'blob.txt', url: 'c', contentType: 'text/plain', size: 10 },
		];
		const prepared = await prepareAttachments(posted, {
			...limits,
			fetcher: fetcherOf({
				a: Buffer.from('not a picture'),
				b: sampleFiles.zip(),
				c: Buffer.from([104, 105, 0, 1, 2]),
			}),
		});
		expect(prepared.files).toEqual([]);
		expect(prepared.refused.map((file) => file.why)).toEqual([
			'not a valid image file',
			'not a file type I can read (it is zip data)',
			'not readable text',
		]);
	});
});
