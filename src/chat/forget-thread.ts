import type { ForgetCounts, ForgetStore } from '../store/ports/forget-store.js';
import type { SessionStore } from '../store/ports/session-store.js';
import type { ActiveReplies } from './active-replies.js';
import { ModelError } from '../llm/model-error.js';
import type { Responder } from './respond.js';

export type ForgetThreadDeps = {
	readonly forget: ForgetStore;
	readonly activeReplies: ActiveReplies;
	/** Runs after the reply being written in the thread has stored how it ended. */
	readonly exclusive: Responder['exclusive'];
};

/**
 * Deletes a thread's stored conversation. A reply being written stores how it ended even when stopped, so its
 * exchange is deleted once it has: the rest goes at once, and replies waiting behind it find their question gone and
 * skip it.
 */
export async function forgetThread(deps: ForgetThreadDeps, threadId: string, stopWith: Error): Promise<ForgetCounts> {
	const active = deps.activeReplies.get(threadId);
	if (!active) return deps.forget.forget(threadId);
	// Deleted before the reply stops: the replies waiting behind it start only then, and must find their questions gone.
	const first = await deps.forget.forget(threadId, { except: active.turnId });
	deps.activeReplies.stop(threadId, stopWith);
	const last = await deps.exclusive(threadId, () => deps.forget.forget(threadId, { only: active.turnId }));
	return {
		messages: first.messages + last.messages,
		files: first.files + last.files,
		summary: first.summary || last.summary,
	};
}

/**
 * Discord deleted a thread (or the channel it was in): nothing is posted there again, and what the bot stored of its
 * conversation goes with it, files included, since /forget can no longer be used there.
 */
export async function forgetDeletedThread(
	deps: ForgetThreadDeps & { readonly store: SessionStore },
	threadId: string,
): Promise<ForgetCounts> {
	await deps.store.markSessionDeleted(threadId);
	return forgetThread(deps, threadId, new ModelError('gone', 'The thread was deleted', { code: 'thread-deleted' }));
}
