import { CHARACTERS_PER_TOKEN } from '../chat/token-estimate.js';

/**
 * Groups transcript entries (one per message) into consecutive chunks of at most `tokenBudget` estimated tokens,
 * keeping their order. A message is cut only when it alone is larger than the budget.
 */
export function chunkTranscript(entries: readonly string[], tokenBudget: number): string[] {
	const limit = Math.max(1, Math.floor(tokenBudget * CHARACTERS_PER_TOKEN));
	const chunks: string[] = [];
	let current = '';
	for (const entry of entries) {
		for (const piece of cutToLength(entry, limit)) {
			const joined = current === '' ? piece : `${current}\n${piece}`;
			if (joined.length <= limit) {
				current = joined;
				continue;
			}
			chunks.push(current);
			current = piece;
		}
	}
	if (current !== '') chunks.push(current);
	return chunks;
}

/** Cuts an oversized entry into pieces of at most `limit` characters, at a space when one is near the end. */
function cutToLength(text: string, limit: number): string[] {
	const pieces: string[] = [];
	let rest = text;
	while (rest.length > limit) {
		const space = rest.lastIndexOf(' ', limit);
		if (space > limit / 2) {
			pieces.push(rest.slice(0, space));
			rest = rest.slice(space + 1);
			continue;
		}
		// Never separate the two halves of a surrogate pair (emoji).
		const cut = isHighSurrogate(rest.charCodeAt(limit - 1)) && limit > 1 ? limit - 1 : limit;
		pieces.push(rest.slice(0, cut));
		rest = rest.slice(cut);
	}
	pieces.push(rest);
	return pieces;
}

function isHighSurrogate(code: number): boolean {
	return code >= 0xd8_00 && code <= 0xdb_ff;
}
