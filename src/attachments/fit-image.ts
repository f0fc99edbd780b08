import type { Sharp } from 'sharp';
import { AttachmentRefused } from './attachment-fetcher.js';
import { loadSharp } from './load-sharp.js';

/**
 * Pictures with more pixels than this are left out, judged from their header before any decoding: a 48 MP phone
 * photo (8,064 × 6,048) fits, a small file claiming 16k × 16k pixels (a gigabyte decoded) does not.
 */
export const MAX_IMAGE_PIXELS = 50_000_000;

/** Gemini scales pictures down to fit this square (Vertex AI docs), so more pixels only cost bytes. */
export const MAX_IMAGE_SIDE = 3_072;

// Above sharp's default of 80: a picture is saved again only once, and small text in it should stay legible.
const LOSSY_QUALITY = 85;

/** sharp's prebuilt libvips has no HEVC decoder: these can be neither measured nor scaled, and go as they are. */
const UNREADABLE = new Set(['image/heic', 'image/heif']);

/**
 * A picture as Gemini can use it: left out when its header claims more than MAX_IMAGE_PIXELS; scaled down to fit
 * MAX_IMAGE_SIDE (upright, by its EXIF orientation) and re-encoded in its type when larger; converted to PNG when
 * Gemini does not take its type; otherwise the same bytes, never recompressed.
 */
export async function fitImage(
	data: Buffer,
	target: { readonly mimeType: string; readonly convertToPng?: true },
): Promise<Buffer> {
	if (UNREADABLE.has(target.mimeType)) return data;
	const sharp = await loadSharp();
	// The header only, with sharp's own limit off so that a refusal can say how large the picture is.
	const { width, height } = await sharp(data, { pages: 1, limitInputPixels: false })
		.metadata()
		.catch((error: unknown) => {
			throw unreadable(error);
		});
	if (width * height > MAX_IMAGE_PIXELS) {
		throw new AttachmentRefused(
			`too large a picture (${grouped(width)} × ${grouped(height)} pixels; ` +
				`at most ${MAX_IMAGE_PIXELS / 1_000_000} megapixels)`,
		);
	}
	const fits = width <= MAX_IMAGE_SIDE && height <= MAX_IMAGE_SIDE;
	if (fits && !target.convertToPng) return data;
	// The limit again, in case the decoder sees other dimensions than the header read above.
	const image = sharp(data, { pages: 1, limitInputPixels: MAX_IMAGE_PIXELS })
		.autoOrient()
		.resize({ width: MAX_IMAGE_SIDE, height: MAX_IMAGE_SIDE, fit: 'inside', withoutEnlargement: true });
	return encode(image, target.mimeType)
		.toBuffer()
		.catch((error: unknown) => {
			throw unreadable(error);
		});
}

function encode(image: Sharp, mimeType: string): Sharp {
	if (mimeType === 'image/jpeg') return image.jpeg({ quality: LOSSY_QUALITY });
	if (mimeType === 'image/webp') return image.webp({ quality: LOSSY_QUALITY });
	return image.png();
}

function unreadable(error: unknown): AttachmentRefused {
	return new AttachmentRefused('an image I could not read', { cause: error });
}

function grouped(count: number): string {
	return count.toLocaleString('en-US');
}
