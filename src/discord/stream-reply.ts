import type { Logger } from '../logger.js';
import { fenceStateAfter, splitMessage } from './split-message.js';

/** What one Discord message of a reply should show. `live` is true while the reply is still being written. */
export type MessageState = { readonly content: string; readonly live: boolean };

/** A message the bot sent and may edit. */
export type EditableMessage = {
	readonly id: string;
	edit(state: MessageState): Promise<void>;
};

/** Where a reply goes: a thread, a channel, or an interaction's reply and follow-ups. */
export type ReplyTarget = {
	send(state: MessageState): Promise<EditableMessage>;
	sendTyping(): Promise<void>;
};

export type ReplyStream = {
	append(text: string): void;
	/** A line shown in place of the answer until its first text arrives (e.g. "waiting for Gemini"). */
	setStatus(line: string | undefined): void;
	/** The answer text received so far. */
	readonly text: string;
	/** Final edit: the whole text, plus `note` (why it ended early) when given. Never throws. */
	finish(note?: string): Promise<{ messageIds: string[] }>;
};

export type ReplyStreamOptions = {
	readonly minEditIntervalMs: number;
	readonly logger: Logger;
	/** Discord shows "typing…" for about 10 s per request. @default 8_000 */
	readonly typingIntervalMs?: number;
};

type SentMessage = { message: EditableMessage; shown: MessageState };

/**
 * Streams a reply into Discord: the first message as soon as there is something to show, then coalesced
 * edits at most once per `minEditIntervalMs`, each scheduled only after the previous write resolved; a new
 * message when the text outgrows 2,000 characters; one last edit with the exact final text.
 */
export function createReplyStream(target: ReplyTarget, options: ReplyStreamOptions): ReplyStream {
	const { logger, minEditIntervalMs } = options;
	const sent: SentMessage[] = [];
	let text = '';
	let status: string | undefined;
	let dirty = false;
	let finished = false;
	let timer: NodeJS.Timeout | undefined;
	let inFlight: Promise<void> | undefined;
	let lastWriteAt = Number.NEGATIVE_INFINITY;

	const typing = startTyping(target, options.typingIntervalMs ?? 8_000, logger);

	async function render(states: readonly MessageState[], final: boolean): Promise<void> {
		for (const [index, state] of states.entries()) {
			const existing = sent[index];
			try {
				if (!existing) {
					sent.push({ message: await target.send(state), shown: state });
					typing.stop();
				} else if (existing.shown.content !== state.content || existing.shown.live !== state.live) {
					await existing.message.edit(state);
					existing.shown = state;
				}
			} catch (error) {
				logger.warn({ err: error, part: index, final }, 'reply write failed');
				// A message deleted mid-stream must not swallow the final text: post it again.
				if (final && existing) await sendReplacement(index, state);
				if (!existing) return;
			}
		}
	}

	async function sendReplacement(index: number, state: MessageState): Promise<void> {
		try {
			sent[index] = { message: await target.send(state), shown: state };
		} catch (error) {
			logger.warn({ err: error, part: index }, 'reply replacement failed');
		}
	}

	function schedule(): void {
		if (finished || timer || inFlight || !dirty) return;
		timer = setTimeout(flush, Math.max(0, lastWriteAt + minEditIntervalMs - Date.now()));
	}

	function flush(): void {
		timer = undefined;
		dirty = false;
		const content = text === '' ? (status ?? '') : text;
		if (content.trim() === '') return;
		inFlight = render(toStates(content, true), false).finally(() => {
			inFlight = undefined;
			lastWriteAt = Date.now();
			schedule();
		});
	}

	return {
		append(delta) {
			if (finished || delta === '') return;
			text += delta;
			dirty = true;
			schedule();
		},
		setStatus(line) {
			status = line;
			if (text !== '') return;
			dirty = true;
			schedule();
		},
		get text() {
			return text;
		},
		async finish(note) {
			finished = true;
			clearTimeout(timer);
			typing.stop();
			await inFlight;
			const content = withNote(text, note);
			if (content.trim() !== '') {
				if (sent.length > 0) await sleep(lastWriteAt + minEditIntervalMs - Date.now());
				await render(toStates(content, false), true);
			}
			return { messageIds: sent.map((entry) => entry.message.id) };
		},
	};
}

/** The final text with a visible note after it, outside any code block the text left open. */
export function withNote(text: string, note: string | undefined): string {
	if (note === undefined) return text;
	if (text.trim() === '') return `⚠️ ${note}`;
	const closer = fenceStateAfter(text).open ? (text.endsWith('\n') ? '```' : '\n```') : '';
	return `${text}${closer}\n\n⚠️ ${note}`;
}

function toStates(content: string, live: boolean): MessageState[] {
	const parts = splitMessage(content);
	return parts.map((part, index) => ({ content: part, live: live && index === parts.length - 1 }));
}

function startTyping(target: ReplyTarget, intervalMs: number, logger: Logger): { stop(): void } {
	const send = (): void => {
		target.sendTyping().catch((error: unknown) => {
			logger.debug({ err: error }, 'typing indicator failed');
		});
	};
	send();
	const interval = setInterval(send, intervalMs);
	return {
		stop: () => {
			clearInterval(interval);
		},
	};
}

function sleep(ms: number): Promise<void> {
	return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
