/** A text file's content goes to Gemini up to this many characters (UTF-16 code units), and is stored cut there. */
export const TEXT_FILE_CHARACTERS = 20_000;

const LEFT_OUT = '\n[… the rest of the file is left out]';

// Every UTF-16 code unit comes from at most three bytes (a surrogate pair from four, an invalid sequence from up to
// three), and a byte-order mark takes three more: this many bytes always decode to more than TEXT_FILE_CHARACTERS,
// so a 10 MiB file is never decoded whole just to be cut.
const DECODED_BYTES = 3 * (TEXT_FILE_CHARACTERS + 1) + 3;

/**
 * UTF-8 with invalid bytes replaced, cut at TEXT_FILE_CHARACTERS with a note, never between the halves of a
 * surrogate pair. Text cut before comes back as it is, so files stored cut read the same as those stored whole
 * (before text files were cut when posted).
 */
export function decodeText(bytes: Uint8Array): string {
	const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, DECODED_BYTES));
	if (text.length <= TEXT_FILE_CHARACTERS || isCut(text)) return text;
	const end = isHighSurrogate(text.charCodeAt(TEXT_FILE_CHARACTERS - 1))
		? TEXT_FILE_CHARACTERS - 1
		: TEXT_FILE_CHARACTERS;
	return `${text.slice(0, end)}${LEFT_OUT}`;
}

function isCut(text: string): boolean {
	return text.length <= TEXT_FILE_CHARACTERS + LEFT_OUT.length && text.endsWith(LEFT_OUT);
}

function isHighSurrogate(code: number): boolean {
	return code >= 0xd800 && code <= 0xdbff;
}
