import { crc32, deflateSync } from 'node:zlib';

/**
 * Small files whose headers claim huge pictures ("decompression bombs"), built by hand so that making them never
 * holds the pixels: a black 1-bit PNG and a black two-colour GIF, valid all the way to the end. With
 * `brokenPixels`, the same header comes before pixel data no decoder can read: what such a file gets, it got from
 * its header alone.
 */
export const pictureBombs = { png: pngBomb, gif: gifBomb };

type BombOptions = { readonly brokenPixels?: boolean };

// A deflate block of the reserved type 3, and an LZW code the table cannot have yet.
const BROKEN = Buffer.from([0xff, 0xff, 0xff, 0xff]);

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngBomb(width: number, height: number, options: BombOptions = {}): Buffer {
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header.set([1, 0, 0, 0, 0], 8); // 1 bit per pixel, greyscale, deflate, no filter, not interlaced
	// Each row: a filter byte and width / 8 zero bytes, 16k × 16k is 33 MB that deflates to about 33 KB.
	const pixels = options.brokenPixels
		? Buffer.concat([Buffer.from([0x78, 0xda]), BROKEN])
		: deflateSync(Buffer.alloc(height * (1 + Math.ceil(width / 8))), { level: 9 });
	return Buffer.concat([
		PNG_SIGNATURE,
		pngChunk('IHDR', header),
		pngChunk('IDAT', pixels),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

function pngChunk(type: string, data: Buffer): Buffer {
	const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const framed = Buffer.alloc(body.length + 8);
	framed.writeUInt32BE(data.length, 0);
	body.copy(framed, 4);
	framed.writeUInt32BE(crc32(body), body.length + 4);
	return framed;
}

const MIN_CODE_SIZE = 2;
const CLEAR = 1 << MIN_CODE_SIZE;
const END = CLEAR + 1;
const FIRST_FREE = CLEAR + 2;
// Clear well before the 4,096-entry table fills, so no decoder meets a full table.
const CODES_PER_TABLE = 4_000;

function gifBomb(width: number, height: number, options: BombOptions = {}): Buffer {
	const screen = Buffer.alloc(7);
	screen.writeUInt16LE(width, 0);
	screen.writeUInt16LE(height, 2);
	screen[4] = 0x80; // a global colour table of two entries
	const descriptor = Buffer.alloc(10);
	descriptor[0] = 0x2c;
	descriptor.writeUInt16LE(width, 5);
	descriptor.writeUInt16LE(height, 7);
	return Buffer.concat([
		Buffer.from('GIF89a', 'latin1'),
		screen,
		Buffer.from([0, 0, 0, 255, 255, 255]),
		descriptor,
		Buffer.from([MIN_CODE_SIZE]),
		subBlocks(options.brokenPixels ? BROKEN : lzwOfZeros(width * height)),
		Buffer.from([0x3b]),
	]);
}

/**
 * LZW codes for `count` pixels of colour 0. On such input the k-th code after a clear stands for a run of k pixels
 * (code 0 for one pixel, FIRST_FREE + k - 2 for k), and the decoder reads it at the width its table has by then.
 */
function lzwOfZeros(count: number): Buffer {
	const bytes: number[] = [];
	let buffer = 0;
	let bits = 0;
	const put = (code: number, width: number) => {
		buffer |= code << bits;
		bits += width;
		while (bits >= 8) {
			bytes.push(buffer & 0xff);
			buffer >>>= 8;
			bits -= 8;
		}
	};
	const widthFor = (k: number) => Math.min(12, Math.max(MIN_CODE_SIZE + 1, Math.floor(Math.log2(k + 4)) + 1));
	let left = count;
	put(CLEAR, MIN_CODE_SIZE + 1);
	let k = 1;
	while (left > 0) {
		if (k > CODES_PER_TABLE) {
			put(CLEAR, widthFor(k));
			k = 1;
		}
		const run = Math.min(k, left);
		put(run === 1 ? 0 : FIRST_FREE + run - 2, widthFor(k));
		left -= run;
		k += 1;
	}
	put(END, widthFor(k));
	if (bits > 0) bytes.push(buffer & 0xff);
	return Buffer.from(bytes);
}

function subBlocks(data: Buffer): Buffer {
	const blocks: Buffer[] = [];
	for (let start = 0; start < data.length; start += 255) {
		const block = data.subarray(start, start + 255);
		blocks.push(Buffer.from([block.length]), block);
	}
	blocks.push(Buffer.from([0]));
	return Buffer.concat(blocks);
}
