import type { AttachmentKind } from '../store/ports/attachment-store.js';

/** How a posted file goes to Gemini: inline data of a type Gemini takes, converted to PNG first, or as text. */
export type AttachmentPlan =
	| { readonly kind: AttachmentKind; readonly mimeType: string; readonly convertToPng?: true }
	| { readonly kind: 'unsupported' };

// What Gemini takes inline (gemini-api.md §12), by the types Discord and file sniffing report.
const INLINE: Readonly<Record<string, { kind: AttachmentKind; mimeType: string }>> = {
	'image/png': { kind: 'image', mimeType: 'image/png' },
	'image/jpeg': { kind: 'image', mimeType: 'image/jpeg' },
	'image/webp': { kind: 'image', mimeType: 'image/webp' },
	'image/heic': { kind: 'image', mimeType: 'image/heic' },
	'image/heif': { kind: 'image', mimeType: 'image/heif' },
	'application/pdf': { kind: 'pdf', mimeType: 'application/pdf' },
	'audio/ogg': { kind: 'audio', mimeType: 'audio/ogg' },
	'audio/opus': { kind: 'audio', mimeType: 'audio/ogg' },
	'audio/mpeg': { kind: 'audio', mimeType: 'audio/mp3' },
	'audio/mp3': { kind: 'audio', mimeType: 'audio/mp3' },
	'audio/wav': { kind: 'audio', mimeType: 'audio/wav' },
	'audio/x-wav': { kind: 'audio', mimeType: 'audio/wav' },
	'audio/wave': { kind: 'audio', mimeType: 'audio/wav' },
	'audio/flac': { kind: 'audio', mimeType: 'audio/flac' },
	'audio/x-flac': { kind: 'audio', mimeType: 'audio/flac' },
	'audio/aac': { kind: 'audio', mimeType: 'audio/aac' },
	// An .m4a is AAC in an MP4 box; Gemini lists AAC, not audio/mp4.
	'audio/mp4': { kind: 'audio', mimeType: 'audio/aac' },
	'audio/x-m4a': { kind: 'audio', mimeType: 'audio/aac' },
	'audio/aiff': { kind: 'audio', mimeType: 'audio/aiff' },
	'audio/x-aiff': { kind: 'audio', mimeType: 'audio/aiff' },
	'video/mp4': { kind: 'video', mimeType: 'video/mp4' },
	'video/webm': { kind: 'video', mimeType: 'video/webm' },
	'video/quicktime': { kind: 'video', mimeType: 'video/quicktime' },
};

/** Image types Gemini does not take but sharp reads: their first frame goes as PNG. */
const CONVERTIBLE_IMAGES = new Set(['image/gif', 'image/bmp', 'image/tiff', 'image/avif', 'image/x-icon']);

const BY_EXTENSION: Readonly<Record<string, string>> = {
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	webp: 'image/webp',
	heic: 'image/heic',
	heif: 'image/heif',
	gif: 'image/gif',
	bmp: 'image/bmp',
	tif: 'image/tiff',
	tiff: 'image/tiff',
	avif: 'image/avif',
	pdf: 'application/pdf',
	ogg: 'audio/ogg',
	oga: 'audio/ogg',
	opus: 'audio/ogg',
	mp3: 'audio/mpeg',
	wav: 'audio/wav',
	flac: 'audio/flac',
	m4a: 'audio/mp4',
	aac: 'audio/aac',
	aif: 'audio/aiff',
	aiff: 'audio/aiff',
	mp4: 'video/mp4',
	m4v: 'video/mp4',
	webm: 'video/webm',
	mov: 'video/quicktime',
};

// Text files by extension: notes, data and source code.
const TEXT_EXTENSIONS = new Set(
	(
		'txt md markdown csv tsv json jsonl ndjson log yaml yml toml ini cfg conf env xml html htm css scss ' +
		'js mjs cjs ts tsx jsx py rb go rs java kt kts swift c h cc cpp hpp cs php sh bash zsh ps1 sql lua r pl ' +
		'dart scala ex exs erl hs ml clj vue svelte gradle properties diff patch tex rst srt vtt'
	).split(' '),
);
const TEXT_TYPES = /^(text\/|application\/(json|x-ndjson|xml|x-yaml|yaml|toml|javascript|x-sh|sql)\b)/;

export function extensionOf(filename: string): string {
	const dot = filename.lastIndexOf('.');
	return dot === -1 ? '' : filename.slice(dot + 1).toLowerCase();
}

/** The plan for a type (a declared or a sniffed one), or undefined when the type says nothing useful. */
export function planForType(type: string | undefined): AttachmentPlan | undefined {
	const mime = type?.split(';')[0]?.trim().toLowerCase();
	if (mime === undefined || mime === '' || mime === 'application/octet-stream') return undefined;
	const inline = INLINE[mime];
	if (inline) return inline;
	if (CONVERTIBLE_IMAGES.has(mime)) return { kind: 'image', mimeType: 'image/png', convertToPng: true };
	if (TEXT_TYPES.test(mime)) return { kind: 'text', mimeType: 'text/plain' };
	return { kind: 'unsupported' };
}

/** What a file is, from what Discord says and its name, before downloading it. */
export function planAttachment(filename: string, declaredType: string | undefined): AttachmentPlan {
	const extension = extensionOf(filename);
	if (TEXT_EXTENSIONS.has(extension)) return { kind: 'text', mimeType: 'text/plain' };
	return planForType(declaredType) ?? planForType(BY_EXTENSION[extension]) ?? { kind: 'unsupported' };
}
