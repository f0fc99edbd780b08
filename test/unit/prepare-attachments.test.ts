import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { AttachmentFetcher } from '../../src/attachments/attachment-fetcher.js';
import { planAttachment } from '../../src/attachments/classify-attachment.js';
import { decodeText, TEXT_FILE_CHARACTERS } from '../../src/attachments/decode-text.js';
import type { PostedFile } from '../../src/attachments/prepare-attachments.js';
import { prepareAttachments } from '../../src/attachments/prepare-attachments.js';
import { pictureBombs } from '../support/picture-bombs.js';
import { sampleFiles } from '../support/sample-files.js';

const fetcherOf = (files: Record<string, Buffer>): AttachmentFetcher => ({
	fetch: (url) => Promise.resolve(files[url] ?? Buffer.alloc(0)),
});
const limits = { maxBytes: 10 * 1_048_576, maxMessageBytes: 14 * 1_048_576, maxFiles: 10 };
const LEFT_OUT = '\n[… the rest of the file is left out]';

/** Prepares files posted under their names, each served as the given bytes. */
function prepareNamed(files: Record<string, Buffer>, overrides: { maxMessageBytes?: number } = {}) {
	const posted: PostedFile[] = Object.entries(files).map(([name, data]) => ({
		name,
		url: name,
		contentType: undefined,
		size: data.length,
	}));
	return prepareAttachments(posted, { ...limits, ...overrides, fetcher: fetcherOf(files) });
}

const photo = (width: number, height: number) =>
	sharp({ create: { width, height, channels: 3, background: '#336699' } });

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

describe('prepareAttachments: pictures', () => {
	const bombWhy = 'too large a picture (16,384 × 16,384 pixels; at most 50 megapixels)';

	it('refuses 16k × 16k PNG and GIF bombs from their header, without decoding their pixels', async () => {
		const prepared = await prepareNamed({
			'bomb.png': pictureBombs.png(16_384, 16_384),
			'bomb.gif': pictureBombs.gif(16_384, 16_384),
			// The same headers before pixel data no decoder reads: refused for the same reason, so it is the header.
			'broken.png': pictureBombs.png(16_384, 16_384, { brokenPixels: true }),
			'broken.gif': pictureBombs.gif(16_384, 16_384, { brokenPixels: true }),
		});
		expect(prepared.files).toEqual([]);
		expect(prepared.refused).toEqual(
			['bomb.png', 'bomb.gif', 'broken.png', 'broken.gif'].map((name) => ({ name, why: bombWhy })),
		);
		for (const small of [
			pictureBombs.png(64, 64, { brokenPixels: true }),
			pictureBombs.gif(64, 64, { brokenPixels: true }),
		]) {
			await expect(sharp(small).png().toBuffer()).rejects.toThrow();
		}
	});

	it('keeps a picture of exactly 50 megapixels, scaled down, and refuses one pixel row more, of any type', async () => {
		const tiff = await photo(7_072, 7_072).tiff().toBuffer();
		const prepared = await prepareNamed({
			'limit.png': pictureBombs.png(10_000, 5_000),
			'over.png': pictureBombs.png(10_000, 5_001),
			'over.tif': tiff,
		});
		expect(prepared.files.map((file) => file.filename)).toEqual(['limit.png']);
		expect(await sharp(prepared.files[0]!.data).metadata()).toMatchObject({
			format: 'png',
			width: 3_072,
			height: 1_536,
		});
		expect(prepared.refused).toEqual([
			{ name: 'over.png', why: 'too large a picture (10,000 × 5,001 pixels; at most 50 megapixels)' },
			{ name: 'over.tif', why: 'too large a picture (7,072 × 7,072 pixels; at most 50 megapixels)' },
		]);
	});

	it('scales a 6,000 × 4,000 JPEG down to fit 3,072 × 3,072, still a JPEG, upright by its EXIF orientation', async () => {
		const prepared = await prepareNamed({
			'wide.jpg': await photo(6_000, 4_000).jpeg().toBuffer(),
			// Stored sideways, as phones do: orientation 6 says turn it a quarter clockwise to show it.
			'tall.jpg': await photo(6_000, 4_000).jpeg().withMetadata({ orientation: 6 }).toBuffer(),
		});
		expect(prepared.refused).toEqual([]);
		const [wide, tall] = await Promise.all(prepared.files.map((file) => sharp(file.data).metadata()));
		expect(prepared.files.map((file) => file.mimeType)).toEqual(['image/jpeg', 'image/jpeg']);
		expect(wide).toMatchObject({ format: 'jpeg', width: 3_072, height: 2_048 });
		expect(tall).toMatchObject({ format: 'jpeg', width: 2_048, height: 3_072 });
		expect(tall!.orientation).toBeUndefined();
	});

	it('passes a picture within 3,072 × 3,072 of a type Gemini takes byte for byte, HEIC included', async () => {
		const png = await photo(1_000, 800).png().toBuffer();
		const jpeg = await photo(3_072, 1_000).jpeg().toBuffer();
		// An HEIF brand box: sharp cannot decode HEVC, so these are neither measured nor scaled.
		const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic'), Buffer.alloc(64)]);
		const prepared = await prepareNamed({ 'chart.png': png, 'edge.jpg': jpeg, 'phone.heic': heic });
		expect(prepared.files.map((file) => [file.mimeType, file.data])).toEqual([
			['image/png', png],
			['image/jpeg', jpeg],
			['image/heic', heic],
		]);
	});

	it('turns a GIF into a PNG of its first frame, scaled down when larger than 3,072 × 3,072', async () => {
		const prepared = await prepareNamed({
			'small.gif': await sampleFiles.gif(),
			'large.gif': pictureBombs.gif(4_000, 3_000),
		});
		const [small, large] = await Promise.all(prepared.files.map((file) => sharp(file.data).metadata()));
		expect(prepared.files.map((file) => file.mimeType)).toEqual(['image/png', 'image/png']);
		expect(small).toMatchObject({ format: 'png', width: 8, height: 8 });
		expect(large).toMatchObject({ format: 'png', width: 3_072, height: 2_304 });
	});
});

describe('prepareAttachments: text files', () => {
	it('stores a long text file cut where Gemini stops reading, with a note', async () => {
		const text = 'a'.repeat(29_000) + 'z'.repeat(1_000);
		const prepared = await prepareNamed({ 'notes.txt': Buffer.from(text) });
		const stored = prepared.files[0]!;
		expect(stored).toMatchObject({ filename: 'notes.txt', mimeType: 'text/plain', kind: 'text' });
		expect(stored.data.toString()).toBe(`${'a'.repeat(TEXT_FILE_CHARACTERS)}${LEFT_OUT}`);
	});

	it('stores a 10 MiB text file as its first 20,000 characters', async () => {
		const prepared = await prepareNamed({ 'huge.log': Buffer.alloc(10 * 1_048_576, 'log line\n') });
		expect(prepared.refused).toEqual([]);
		expect(prepared.files[0]!.data.length).toBe(TEXT_FILE_CHARACTERS + Buffer.byteLength(LEFT_OUT));
	});

	it('counts text files, as stored, toward the bytes of one message', async () => {
		const text = Buffer.from('x'.repeat(30_000));
		const prepared = await prepareNamed({ 'a.txt': text, 'b.txt': text }, { maxMessageBytes: 30_000 });
		expect(prepared.files.map((file) => file.filename)).toEqual(['a.txt']);
		expect(prepared.refused).toEqual([{ name: 'b.txt', why: 'the files of one message may be 29 KB at most' }]);
	});
});

describe('decodeText', () => {
	it('never cuts between the halves of a surrogate pair, and leaves text cut before as it is', () => {
		const cut = decodeText(Buffer.from(`${'x'.repeat(TEXT_FILE_CHARACTERS - 1)}\u{1f680}${'y'.repeat(10)}`));
		expect(cut).toBe(`${'x'.repeat(TEXT_FILE_CHARACTERS - 1)}${LEFT_OUT}`);
		expect(decodeText(Buffer.from(cut))).toBe(cut);
		const whole = `${'y'.repeat(TEXT_FILE_CHARACTERS - 2)}\u{1f680}`;
		expect(decodeText(Buffer.from(whole))).toBe(whole);
	});

	it('decodes enough of a long file to cut it, however many bytes its characters take', () => {
		// Three UTF-8 bytes a character, after a byte-order mark the decoder drops.
		const euros = (count: number) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('€'.repeat(count))]);
		expect(decodeText(euros(TEXT_FILE_CHARACTERS))).toBe('€'.repeat(TEXT_FILE_CHARACTERS));
		expect(decodeText(euros(TEXT_FILE_CHARACTERS + 1))).toBe(`${'€'.repeat(TEXT_FILE_CHARACTERS)}${LEFT_OUT}`);
	});
});
