import type { ReplyStream } from '../reply/stream-reply.js';
import type { ModelQueue } from '../llm/model-queue.js';
import { waitingStatusLine, writingStatusLine } from './status-lines.js';

const NOTICE_AFTER_MS = 2_000;
// Where a waiting reply stands changes as the queue moves; saying so more often would only spend Discord writes.
const UPDATE_EVERY_MS = 5_000;

/**
 * Tells the reader why nothing happens yet once a reply has waited `noticeMs` in the queue, keeps the position
 * current as the queue moves, and says when Gemini has started writing.
 */
export function watchQueue(
	queue: ModelQueue,
	reply: ReplyStream,
	noticeMs = NOTICE_AFTER_MS,
	provider = 'Gemini',
): { track(ticket: string): void; started(): void; cancel(): void } {
	let ticket: string | undefined;
	let shown: string | undefined;
	let timer: NodeJS.Timeout | undefined;
	const show = (): void => {
		const state = ticket === undefined ? undefined : queue.stateOf(ticket);
		if (state === undefined || state.kind === 'running') return;
		const line = waitingStatusLine(state, Date.now(), provider);
		if (line !== shown) reply.setStatus(line);
		shown = line;
		timer = setTimeout(show, UPDATE_EVERY_MS);
	};
	timer = setTimeout(show, noticeMs);
	return {
		track(id) {
			ticket = id;
		},
		started() {
			clearTimeout(timer);
			if (shown !== undefined) reply.setStatus(writingStatusLine(provider));
		},
		cancel() {
			clearTimeout(timer);
		},
	};
}
