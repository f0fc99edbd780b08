import type { ReplyProgress } from '../discord/stream-reply.js';
import type { ReplyAuthor } from '../store/reply-turn-store.js';
import type { SessionStore, StoredTurn } from '../store/session-store.js';
import type { ReplyOutcome } from './generate-reply.js';

// While a reply streams its stored text trails what members see by at most this much; a crash loses no more.
const SAVE_EVERY_MS = 3_000;

/**
 * Keeps a reply's row in step with Discord: stored as 'streaming' from its first message on, with every new
 * message id at once and its text every few seconds, then finished with the outcome.
 */
export function createReplyRecorder(
	store: SessionStore,
	author: ReplyAuthor,
	now: () => number = Date.now,
): { written: (progress: ReplyProgress) => void; finish: (outcome: ReplyOutcome) => StoredTurn } {
	let turnId: number | undefined;
	let savedIds = 0;
	let savedAt = 0;
	let savedText = false;
	return {
		written: (progress) => {
			const snapshot = { content: progress.text, replyMessageIds: progress.messageIds };
			if (turnId === undefined) turnId = store.beginReply(author, snapshot);
			else if (
				progress.messageIds.length !== savedIds ||
				(progress.text !== '' && !savedText) ||
				now() - savedAt >= SAVE_EVERY_MS
			) {
				store.updateReply(turnId, snapshot);
			} else return;
			savedIds = progress.messageIds.length;
			savedAt = now();
			// From here on, stored text '' would mean a status line only: recovery relies on that.
			savedText ||= progress.text !== '';
		},
		finish: (outcome) => {
			const ending = {
				content: outcome.text,
				replyMessageIds: outcome.messageIds,
				status: outcome.status,
				finishReason: outcome.finishReason,
				errorCode: outcome.errorCode,
				model: outcome.model,
				usage: outcome.usage,
				grounding: outcome.grounding,
			};
			return turnId === undefined
				? store.appendModelTurn({ ...author, model: outcome.model }, ending)
				: store.finishReply(turnId, ending);
		},
	};
}
