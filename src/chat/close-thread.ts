import type { GoneReason } from '../discord/reply-target.js';
import { ModelError } from '../llm/model-error.js';
import type { SessionStore } from '../store/session-store.js';
import type { ActiveReplies } from './active-replies.js';

/**
 * Discord says a thread is gone (deleted) or closed (archived): its reply in progress is aborted at once, so the
 * model call stops and nothing more is posted there; a deleted thread is never written to again.
 */
export function closeThread(
	deps: { readonly store: SessionStore; readonly activeReplies: ActiveReplies },
	threadId: string,
	reason: Exclude<GoneReason, 'forbidden'>,
): boolean {
	if (reason === 'deleted') deps.store.markSessionDeleted(threadId);
	return deps.activeReplies.stop(
		threadId,
		new ModelError('gone', `The thread was ${reason}`, { code: `thread-${reason}` }),
	);
}
