// Just over 250 lines: the edit loop's timing (first text, throttled edits, the final edit at once, splits into new
// messages, a thread gone mid-stream) shares one state machine; splitting it would split that state.
import type { Logger } from '../log/logger.js';
import type { EditableMessage, GoneReason, MessageState, ReplyTarget } from './reply-target.js';
import { ReplyMessageDeleted, ReplyTargetGone } from './reply-target.js';
import type { ReplyEnding } from './reply-text.js';
import { toStates, withEnding } from './reply-text.js';
import { startTyping } from './typing-indicator.js';
import type { WriteBudget, WriteUrgency } from './write-budget.js';

export type ReplyStream = {
	append(text: string): void;
	/** A line shown in place of the answer until its first text arrives (e.g. "waiting for Gemini"). */
	setStatus(line: string | undefined): void;
	/** The answer text received so far. */
	readonly text: string;
	/** Set once the reply cannot be posted any more; nothing is written from then on. */
	readonly gone: GoneReason | undefined;
	/**
	 * Final edit: the whole text, plus `note` (why it ended early) and a `footer` line; `silent` writes nothing
	 * more (no one could read it). Never throws.
	 */
	finish(ending?: ReplyEnding): Promise<{ messageIds: string[] }>;
	/** Deletes whatever was posted (a status line): the reply is withdrawn. */
	discard(): Promise<void>;
};

export type ReplyProgress = { readonly messageIds: string[]; readonly text: string };

export type ReplyStreamOptions = {
	readonly minEditIntervalMs: number;
	readonly logger: Logger;
	readonly budget: WriteBudget;
	/** Typing shows only when the first text is further away than this. @default 1_000 */
	readonly typingDelayMs?: number;
	/** After every write: the reply's messages so far and the answer text they show. */
	readonly onWritten?: (progress: ReplyProgress) => void;
	/** A message of the reply was deleted (by a moderator): it is not posted again. */
	readonly onMessageDeleted?: () => void;
	/** Once, when the destination turns out to be gone (deleted thread, missing permission). */
	readonly onGone?: (reason: GoneReason) => void;
};

type SentMessage = {
	message: EditableMessage;
	shown: MessageState;
	lastWriteAt: number;
	retryAt: number;
	/** A moderator deleted it: it is neither edited nor posted again. */
	deleted?: true;
};
type Plan = { index: number; state: MessageState; urgency: WriteUrgency; text: string } | { waitUntil: number };

/**
 * Streams a reply into Discord. The first visible text and the final edit go out at once (only Discord's rate
 * limits can hold them); edits in between are coalesced to at most one per `minEditIntervalMs` per message, each
 * written only after the previous write resolved; the text moves on to a new message past 2,000 characters.
 */
export function createReplyStream(target: ReplyTarget, options: ReplyStreamOptions): ReplyStream {
	const { logger, minEditIntervalMs, budget } = options;
	const sent: SentMessage[] = [];
	let text = '';
	let status: string | undefined;
	let ending: ReplyEnding | undefined;
	let gone: GoneReason | undefined;
	let textShown = false;
	let closed = false;
	// After a failed write, the same write waits an interval instead of hammering Discord.
	let sendRetryAt = 0;
	const finalTried = new Set<number>();
	let loop: Promise<void> | undefined;
	let starting: NodeJS.Immediate | undefined;
	let timer: NodeJS.Timeout | undefined;
	let waiting: { urgency: WriteUrgency; cancel: AbortController } | undefined;

	const becomeGone = (error: ReplyTargetGone): void => {
		if (gone) return;
		gone = error.reason;
		typing.stop();
		clearTimeout(timer);
		waiting?.cancel.abort();
		logger.info({ reason: error.reason }, 'reply destination gone');
		options.onGone?.(error.reason);
	};
	const typing = startTyping(target, {
		budget,
		logger,
		onGone: becomeGone,
		...(options.typingDelayMs === undefined ? {} : { delayMs: options.typingDelayMs }),
	});

	function desired(): { states: MessageState[]; text: string } {
		if (ending) return { states: toStates(withEnding(text, ending), false), text };
		if (text !== '') return { states: toStates(text, true), text };
		return { states: status?.trim() ? toStates(status, true) : [], text: '' };
	}

	function plan(): Plan | undefined {
		if (gone || closed) return undefined;
		const wanted = desired();
		for (const [index, state] of wanted.states.entries()) {
			const existing = sent[index];
			if (existing?.deleted) continue;
			if (existing && existing.shown.content === state.content && existing.shown.live === state.live) continue;
			if (ending) {
				if (finalTried.has(index)) continue;
				return { index, state, urgency: 'urgent', text: wanted.text };
			}
			const urgent = wanted.text !== '' && !textShown;
			const retryAt = existing?.retryAt ?? sendRetryAt;
			const readyAt = urgent || !existing ? retryAt : Math.max(retryAt, existing.lastWriteAt + minEditIntervalMs);
			if (readyAt > Date.now()) return { waitUntil: readyAt };
			return { index, state, urgency: urgent ? 'urgent' : 'steady', text: wanted.text };
		}
		return undefined;
	}

	async function write(next: Exclude<Plan, { waitUntil: number }>): Promise<void> {
		const existing = sent[next.index];
		if (ending) finalTried.add(next.index);
		try {
			if (existing) {
				existing.lastWriteAt = Date.now();
				existing.retryAt = existing.lastWriteAt + minEditIntervalMs;
				await existing.message.edit(next.state);
				existing.shown = next.state;
				existing.retryAt = 0;
			} else {
				sendRetryAt = Date.now() + minEditIntervalMs;
				const message = await target.send(next.state);
				sent[next.index] = { message, shown: next.state, lastWriteAt: Date.now(), retryAt: 0 };
				sendRetryAt = 0;
				typing.stop();
			}
			if (next.text !== '') textShown = true;
			options.onWritten?.({ messageIds: sent.map((entry) => entry.message.id), text: next.text });
		} catch (error) {
			if (error instanceof ReplyTargetGone) {
				becomeGone(error);
				return;
			}
			if (existing && error instanceof ReplyMessageDeleted) {
				existing.deleted = true;
				logger.info({ part: next.index }, 'reply message deleted');
				options.onMessageDeleted?.();
				return;
			}
			logger.warn({ err: error, part: next.index, final: ending !== undefined }, 'reply write failed');
			// A final edit that failed (not a deleted message) must not swallow the final text: post it again.
			if (existing && ending) await replace(next.index, next.state);
		}
	}

	async function replace(index: number, state: MessageState): Promise<void> {
		try {
			sent[index] = { message: await target.send(state), shown: state, lastWriteAt: Date.now(), retryAt: 0 };
		} catch (error) {
			if (error instanceof ReplyTargetGone) becomeGone(error);
			else logger.warn({ err: error, part: index }, 'reply replacement failed');
		}
	}

	// Discord limits a channel's message creates and its edits separately.
	const bucketOf = (index: number): string | undefined =>
		target.channelId === undefined ? undefined : `${target.channelId}:${sent[index] ? 'edit' : 'create'}`;

	async function run(): Promise<void> {
		for (let next = plan(); next && !('waitUntil' in next); next = plan()) {
			const bucket = bucketOf(next.index);
			const done = await acquire(bucket, next.urgency);
			// Cancelled because something more urgent came up (or the reply ended): plan again.
			if (!done) continue;
			try {
				// Plan again: more text may have arrived while waiting for the slot.
				const current = plan();
				if (current && !('waitUntil' in current) && bucketOf(current.index) === bucket) await write(current);
			} finally {
				done();
			}
		}
	}

	async function acquire(bucket: string | undefined, urgency: WriteUrgency): Promise<(() => void) | undefined> {
		const cancel = new AbortController();
		waiting = { urgency, cancel };
		try {
			return await budget.acquire(bucket, urgency, cancel.signal);
		} catch {
			return undefined;
		} finally {
			waiting = undefined;
		}
	}

	function kick(): void {
		if (gone) return;
		if (loop) {
			// A steady write waiting for a slot must not hold up the first text or the final edit.
			const next = plan();
			if (waiting && waiting.urgency !== 'urgent' && next && 'urgency' in next && next.urgency === 'urgent') {
				waiting.cancel.abort();
			}
			return;
		}
		clearTimeout(timer);
		timer = undefined;
		// Deferred by one turn of the event loop: text that arrives together with the end of the stream goes out
		// as one write instead of a live one and a final edit right after it.
		starting ??= setImmediate(startLoop);
	}

	function startLoop(): void {
		clearImmediate(starting);
		starting = undefined;
		if (loop) return;
		loop = run().finally(() => {
			loop = undefined;
			const next = plan();
			if (!next) return;
			if ('waitUntil' in next) timer ??= setTimeout(kick, next.waitUntil - Date.now());
			else kick();
		});
	}

	async function drain(): Promise<void> {
		if (starting) startLoop();
		while (loop) await loop;
	}

	return {
		append(delta) {
			if (ending || delta === '') return;
			text += delta;
			kick();
		},
		setStatus(line) {
			status = line;
			if (text === '') kick();
		},
		get text() {
			return text;
		},
		get gone() {
			return gone;
		},
		async finish(end = {}) {
			ending = end;
			if (end.silent === true) {
				closed = true;
				waiting?.cancel.abort();
			}
			typing.stop();
			clearTimeout(timer);
			timer = undefined;
			kick();
			await drain();
			return { messageIds: sent.map((entry) => entry.message.id) };
		},
		async discard() {
			closed = true;
			typing.stop();
			clearTimeout(timer);
			waiting?.cancel.abort();
			await drain();
			for (const entry of sent.splice(0)) {
				await entry.message.delete().catch((error: unknown) => {
					logger.warn({ err: error }, 'could not delete a withdrawn reply');
				});
			}
		},
	};
}
