import type { Logger } from '../log/logger.js';
import type { ReplyTarget } from './reply-target.js';
import { ReplyTargetGone } from './reply-target.js';
import type { WriteBudget } from './write-budget.js';

export type TypingOptions = {
	/** Shown only when the first text is further away than this. @default 1_000 */
	readonly delayMs?: number;
	/** Discord shows "typing…" for about 10 s per request. @default 8_000 */
	readonly intervalMs?: number;
	readonly budget: WriteBudget;
	readonly logger: Logger;
	readonly onGone: (error: ReplyTargetGone) => void;
};

/** "typing…" while a reply has nothing to show yet, at the lowest write priority. */
export function startTyping(target: ReplyTarget, options: TypingOptions): { stop(): void } {
	let stopped = false;
	let timer: NodeJS.Timeout | undefined;
	const send = async (): Promise<void> => {
		// Typing has its own route: only the global limit applies.
		const done = await options.budget.acquire(undefined, 'idle');
		try {
			if (!stopped) await target.sendTyping();
		} finally {
			done();
		}
	};
	const tick = (): void => {
		send().catch((error: unknown) => {
			if (error instanceof ReplyTargetGone) options.onGone(error);
			else options.logger.debug({ err: error }, 'typing indicator failed');
		});
		if (!stopped) timer = setTimeout(tick, options.intervalMs ?? 8_000);
	};
	timer = setTimeout(tick, options.delayMs ?? 1_000);
	return {
		stop() {
			stopped = true;
			clearTimeout(timer);
		},
	};
}
