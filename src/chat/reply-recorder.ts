import type { ReplyProgress } from '../reply/stream-reply.js';
import type { ReplyAuthor, StoredTurn } from '../domain/turn.js';
import { retryWhile } from '../concurrency/retry-while.js';
import type { SessionStore } from '../store/ports/session-store.js';
import { isStoreUnavailable } from '../store/ports/store-unavailable.js';
import type { ReplyOutcome } from './generate-reply.js';

// While a reply streams its stored text trails what members see by at most this much; a crash loses no more.
const SAVE_EVERY_MS = 3_000;

/**
 * Keeps a reply's row in step with Discord: stored as 'streaming' from its first message on, with every new
 * message id at once and its text every few seconds, then finished with the outcome. The writes go one after the
 * other (the stream reports progress faster than a database may answer); one that fails is reported and the next
 * carries the reply on, so the finish always stores it.
 */
export function createReplyRecorder(
	store: SessionStore,
	author: ReplyAuthor,
	options: {
		readonly now?: () => number;
		readonly onError?: (error: unknown) => void;
		/** Waits between attempts to store the finished reply while the database is away. @default OUTAGE_DELAYS_MS */
		readonly retryDelaysMs?: readonly number[];
	} = {},
): { written: (progress: ReplyProgress) => void; finish: (outcome: ReplyOutcome) => Promise<StoredTurn> } {
	const now = options.now ?? Date.now;
	let turnId: number | undefined;
	let savedIds = 0;
	let savedAt = 0;
	let savedText = false;
	let writes: Promise<void> = Promise.resolve();
	const then = (write: () => Promise<void>): void => {
		writes = writes.then(write).catch((error: unknown) => options.onError?.(error));
	};
	return {
		written: (progress) => {
			const snapshot = { content: progress.text, replyMessageIds: progress.messageIds };
			const first = savedIds === 0 && !savedText && savedAt === 0;
			if (
				!first &&
				progress.messageIds.length === savedIds &&
				(progress.text === '' || savedText) &&
				now() - savedAt < SAVE_EVERY_MS
			) {
				return;
			}
			then(async () => {
				if (turnId === undefined) turnId = await store.beginReply(author, snapshot);
				else await store.updateReply(turnId, snapshot);
			});
			savedIds = progress.messageIds.length;
			savedAt = now();
			// From here on, stored text '' would mean a status line only: recovery relies on that.
			savedText ||= progress.text !== '';
		},
		async finish(outcome) {
			await writes;
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
			// Members saw the whole reply: a database away for a moment must not lose it (nor have it answered again).
			const id = turnId;
			return retryWhile(
				() =>
					id === undefined
						? store.appendModelTurn({ ...author, model: outcome.model }, ending)
						: store.finishReply(id, ending),
				isStoreUnavailable,
				options.retryDelaysMs,
			);
		},
	};
}
