import { fenceStateAfter } from './split-message.js';

/** Joins split parts back into the original text by removing the fences splitMessage added at each cut. */
export function joinParts(parts: readonly string[]): string {
	let joined = '';
	for (const [index, part] of parts.entries()) {
		let text = part;
		const carried = fenceStateAfter(joined);
		if (carried.open) {
			const reopen = `\`\`\`${carried.language}\n`;
			if (!text.startsWith(reopen)) throw new Error(`part ${index} does not reopen the code block`);
			text = text.slice(reopen.length);
		}
		if (index < parts.length - 1 && fenceStateAfter(joined + text.slice(0, -4)).open && text.endsWith('\n```')) {
			text = text.slice(0, -4);
		}
		joined += text;
	}
	return joined;
}
