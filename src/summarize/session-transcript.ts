import type { StoredTurn } from '../domain/turn.js';
import type { TranscriptMessage } from './format-transcript.js';

/**
 * A bot thread's conversation as stored: members' turns under their display names, the model's under the bot's.
 * Turns forgotten with /reset or /rewind stay forgotten; empty (failed) replies are left out.
 */
export function sessionTranscript(
	turns: readonly StoredTurn[],
	bounds: { readonly limit: number | undefined; readonly since: number | undefined },
): TranscriptMessage[] {
	const kept = turns.filter(
		(turn) => turn.content.trim() !== '' && (bounds.since === undefined || turn.createdAt >= bounds.since),
	);
	return (bounds.limit === undefined ? kept : kept.slice(-bounds.limit)).map((turn) => ({
		authorName: turn.authorName,
		bot: turn.role === 'model',
		content: turn.content,
		createdAt: turn.createdAt,
	}));
}
