export const DISCORD_MESSAGE_LIMIT = 2_000;

const FENCE = '```';
// Room kept at the end of every cut part for the "\n```" that closes a code block left open there.
const CLOSING_RESERVE = FENCE.length + 1;
// A boundary this far back (as a share of the window) still beats cutting at a weaker boundary.
const MIN_PART_SHARE = 0.5;

type FenceState = { open: false } | { open: true; language: string };

/**
 * Splits text into Discord messages of at most `limit` characters, cutting at a paragraph, line or word
 * boundary. A code block cut in two is closed at the end of one part ("\n```") and reopened with its language
 * at the start of the next ("```lang\n"), so every part renders on its own. Joining the parts without those
 * added fences gives back the text exactly.
 */
export function splitMessage(text: string, limit = DISCORD_MESSAGE_LIMIT): string[] {
	const parts: string[] = [];
	let rest = text;
	let fence: FenceState = { open: false };
	while (rest.length > 0) {
		const prefix = fence.open ? `${FENCE}${fence.language}\n` : '';
		if (prefix.length + rest.length <= limit) {
			parts.push(prefix + rest);
			break;
		}
		const window = rest.slice(0, Math.max(1, limit - prefix.length - CLOSING_RESERVE));
		const cut = avoidEmptyBlock(prefix, window, chooseCut(window));
		const chunk = rest.slice(0, cut);
		const after = fenceStateAfter(prefix + chunk);
		parts.push(after.open ? `${prefix}${chunk}\n${FENCE}` : prefix + chunk);
		rest = rest.slice(cut);
		fence = after;
	}
	return parts;
}

/** Whether a code block is still open at the end of `text`, and its language, as Discord's parser sees it. */
export function fenceStateAfter(text: string): FenceState {
	let state: FenceState = { open: false };
	let index = text.indexOf(FENCE);
	while (index !== -1) {
		if (state.open) {
			state = { open: false };
		} else {
			const language = /^([\w+\-.#]*)\n/.exec(text.slice(index + FENCE.length))?.[1] ?? '';
			state = { open: true, language };
		}
		index = text.indexOf(FENCE, index + FENCE.length);
	}
	return state;
}

function chooseCut(window: string): number {
	const minimum = Math.floor(window.length * MIN_PART_SHARE);
	for (const boundary of ['\n\n', '\n', ' ']) {
		const index = window.lastIndexOf(boundary);
		if (index > 0 && index + boundary.length >= minimum) return index + boundary.length;
	}
	let cut = window.length;
	// Never cut a surrogate pair (an emoji) in half.
	if (cut > 1 && isHighSurrogate(window.charCodeAt(cut - 1))) cut -= 1;
	return cut;
}

// A part ending with a fence line that opened nothing yet would show an empty code block: cut before it.
function avoidEmptyBlock(prefix: string, window: string, cut: number): number {
	const chunk = window.slice(0, cut);
	const state = fenceStateAfter(prefix + chunk);
	if (!state.open) return cut;
	const opener = chunk.lastIndexOf(FENCE);
	if (opener <= 0 || chunk.slice(opener).split('\n').slice(1).join('').trim() !== '') return cut;
	return fenceStateAfter(prefix + chunk.slice(0, opener)).open ? cut : opener;
}

function isHighSurrogate(code: number): boolean {
	return code >= 0xd8_00 && code <= 0xdb_ff;
}
