const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;
/** Standard alphabet, padding optional (OpenAI decodes either). */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
export const SUPPORTED_IMAGE_TYPES: readonly string[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

export type ParsedDataUrl = { mimeType: string; base64: string };

/** Splits a `data:<mime>;base64,<data>` URL; undefined for anything else (http URLs included). */
export function parseDataUrl(url: string): ParsedDataUrl | undefined {
	const match = DATA_URL.exec(url);
	if (match === null) return undefined;
	return { mimeType: (match[1] ?? '').toLowerCase(), base64: match[2] ?? '' };
}

export function isRemoteUrl(url: string): boolean {
	return /^https?:\/\//i.test(url);
}

/** Why OpenAI would refuse this image URL, or undefined if it would take it. */
export function imageUrlProblem(url: string): string | undefined {
	if (isRemoteUrl(url)) return undefined;
	const parsed = parseDataUrl(url);
	const expected =
		"Expected a base64-encoded data URL with an image MIME type (e.g. 'data:image/png;base64,aW1nIGJ5dGVzIGhlcmU=')";
	if (parsed === undefined) return `${expected}, but got a value that is not a data URL.`;
	if (!SUPPORTED_IMAGE_TYPES.includes(parsed.mimeType)) {
		return `${expected}, but got unsupported MIME type '${parsed.mimeType}'.`;
	}
	if (parsed.base64 === '' || parsed.base64.length % 4 === 1 || !BASE64.test(parsed.base64)) {
		return `${expected}, but got an invalid base64 string.`;
	}
	return undefined;
}
