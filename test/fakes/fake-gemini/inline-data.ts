import { isRecord } from './is-record.js';

/** Google's limit is on the whole request; this fake applies it to the decoded inline bytes. */
export const MAX_INLINE_BYTES = 20 * 1024 * 1024;

const SUPPORTED_MIME_TYPES = new Set([
	'image/png',
	'image/jpeg',
	'image/webp',
	'image/heic',
	'image/heif',
	'application/pdf',
	'audio/wav',
	'audio/mp3',
	'audio/mpeg',
	'audio/aiff',
	'audio/aac',
	'audio/ogg',
	'audio/flac',
	'video/mp4',
	'video/mpeg',
	'video/quicktime',
	'video/webm',
	'video/x-flv',
	'video/3gpp',
	'video/wmv',
	'video/avi',
	'text/plain',
]);
const NON_BASE64 = /[^A-Za-z0-9+/=]/;
const QUOTED_DATA_LIMIT = 100;

/** Checks an `inlineData` part: mime type given and supported, `data` standard padded base64. */
export function validateInlineData(inline: unknown, path: string, requestName: string): string | undefined {
	if (!isRecord(inline) || typeof inline.mimeType !== 'string' || inline.mimeType === '') {
		return `* ${requestName}.${path}.inline_data.mime_type: mime_type is not specified\n`;
	}
	const { data, mimeType } = inline;
	if (typeof data !== 'string') {
		return `Invalid value at '${path}.inline_data.data' (TYPE_BYTES), ${JSON.stringify(data)}`;
	}
	if (!isStandardBase64(data)) {
		const quoted = data.length > QUOTED_DATA_LIMIT ? `${data.slice(0, QUOTED_DATA_LIMIT)}...` : data;
		return `Invalid value at '${path}.inline_data.data' (TYPE_BYTES), Base64 decoding failed for ${JSON.stringify(quoted)}`;
	}
	if (!SUPPORTED_MIME_TYPES.has(mimeType)) return `Unsupported MIME type: ${mimeType}`;
	return undefined;
}

/** Rejects a request whose inline data, decoded, exceeds MAX_INLINE_BYTES; run after every part is valid. */
export function validateInlinePayload(body: Record<string, unknown>): string | undefined {
	const contents = Array.isArray(body.contents) ? (body.contents as unknown[]) : [];
	let total = 0;
	for (const content of [...contents, body.systemInstruction]) {
		const parts: unknown = isRecord(content) ? content.parts : undefined;
		if (!Array.isArray(parts)) continue;
		for (const part of parts as unknown[]) {
			const inline: unknown = isRecord(part) ? part.inlineData : undefined;
			if (isRecord(inline) && typeof inline.data === 'string') total += decodedLength(inline.data);
		}
	}
	return total > MAX_INLINE_BYTES ? `Request payload size exceeds the limit: ${MAX_INLINE_BYTES} bytes.` : undefined;
}

/** Standard alphabet, padded to a multiple of 4; a scan rather than one big regex so that 27 MB strings stay cheap. */
export function isStandardBase64(data: string): boolean {
	if (data.length % 4 !== 0 || NON_BASE64.test(data)) return false;
	const padding = data.indexOf('=');
	return padding === -1 || (padding >= data.length - 2 && data.slice(padding) === '='.repeat(data.length - padding));
}

/** Byte length of valid standard base64, without decoding it. */
export function decodedLength(data: string): number {
	const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
	return (data.length / 4) * 3 - padding;
}
