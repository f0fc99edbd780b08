import type { ReplyTargetGone } from '../reply/reply-target.js';
import type { KeyedLock } from '../concurrency/keyed-lock.js';
import type { Logger } from '../log/logger.js';
import type { SessionStore } from '../store/ports/session-store.js';
import { catchUp } from './catch-up.js';
import { recoverInterruptedReplies } from './recover-interrupted-replies.js';
import type { RecoveryPort } from './recovery-port.js';

export type RecoveryDeps = {
	readonly store: SessionStore;
	readonly discord: RecoveryPort;
	readonly logger: Logger;
	readonly intake: KeyedLock;
	readonly catchUpWindowMs: number;
	/** Marks a deleted thread's session and deletes its stored conversation (see forgetDeletedThread). */
	readonly forgetDeletedThread: (threadId: string) => Promise<unknown>;
	/** Whether a server's events come to this process (its shards): it recovers those threads only. */
	readonly ownsGuild: (guildId: string) => boolean;
};

export type Recovery = {
	/** After a (re)start: close the replies a crash cut short, then answer what was missed. Never rejects. */
	afterStart(): Promise<void>;
	/**
	 * After the database came back: answer what members wrote while it was away. Replies of this process still
	 * running are not closed (they are not interrupted), and a question they answer is not answered twice.
	 */
	afterOutage(): Promise<void>;
};

export function createRecovery(deps: RecoveryDeps): Recovery {
	const onThreadGone = (threadId: string, error: ReplyTargetGone): void => {
		deps.logger.info({ threadId, reason: error.reason }, 'thread gone while recovering');
		if (error.reason !== 'deleted') return;
		deps.forgetDeletedThread(threadId).catch((forgetError: unknown) => {
			deps.logger.error({ err: forgetError, threadId }, 'could not forget a deleted thread');
		});
	};
	const catchUpNow = () => catchUp({ ...deps, windowMs: deps.catchUpWindowMs }, onThreadGone);
	return {
		async afterStart() {
			try {
				const interrupted = await recoverInterruptedReplies(deps, onThreadGone);
				const answered = await catchUpNow();
				deps.logger.info({ interrupted, answered }, 'recovery finished');
			} catch (error) {
				deps.logger.error({ err: error }, 'recovery failed');
			}
		},
		async afterOutage() {
			try {
				const answered = await catchUpNow();
				deps.logger.info({ answered }, 'caught up after the database outage');
			} catch (error) {
				deps.logger.error({ err: error }, 'catch-up after the database outage failed');
			}
		},
	};
}
