import type { DrawOutcome } from './draw-image.js';

// Discord's message limit, less room for the note under the model's words.
const TEXT_ROOM = 1_700;

/** The model's words (cut to fit), then the note saying why there is no picture, if there is none. */
export function drawingText(outcome: DrawOutcome): string {
	const words = outcome.text.trim();
	const cut = words.length > TEXT_ROOM ? `${words.slice(0, TEXT_ROOM - 1)}…` : words;
	return [cut, outcome.note === undefined ? '' : `⚠️ ${outcome.note}`].filter((line) => line !== '').join('\n\n');
}
