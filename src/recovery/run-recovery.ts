import type { ReplyTargetGone } from '../discord/reply-target.js';
import type { Logger } from '../logger.js';
import type { SessionStore } from '../store/session-store.js';
import { catchUp } from './catch-up.js';
import { recoverInterruptedReplies } from './recover-interrupted-replies.js';
import type { RecoveryPort } from './recovery-port.js';

/** After a (re)start: close the replies a crash cut short, then answer what was missed. Never rejects. */
export async function runRecovery(deps: {
	readonly store: SessionStore;
	readonly discord: RecoveryPort;
	readonly logger: Logger;
	readonly catchUpWindowMs: number;
	/** Marks a deleted thread's session and deletes its stored conversation (see forgetDeletedThread). */
	readonly forgetDeletedThread: (threadId: string) => Promise<unknown>;
}): Promise<void> {
	const onThreadGone = (threadId: string, error: ReplyTargetGone): void => {
		deps.logger.info({ threadId, reason: error.reason }, 'thread gone while recovering');
		if (error.reason !== 'deleted') return;
		deps.forgetDeletedThread(threadId).catch((forgetError: unknown) => {
			deps.logger.error({ err: forgetError, threadId }, 'could not forget a deleted thread');
		});
	};
	try {
		const interrupted = await recoverInterruptedReplies(deps, onThreadGone);
		const answered = await catchUp({ ...deps, windowMs: deps.catchUpWindowMs }, onThreadGone);
		deps.logger.info({ interrupted, answered }, 'recovery finished');
	} catch (error) {
		deps.logger.error({ err: error }, 'recovery failed');
	}
}
