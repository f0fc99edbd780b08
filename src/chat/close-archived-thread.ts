import type { ActiveReplies } from './active-replies.js';
import { ModelError } from '../llm/model-error.js';

/**
 * Discord says a thread was archived: its reply in progress is aborted at once, so the model call stops and nothing
 * more is posted there. (A deleted thread goes through forgetDeletedThread.)
 */
export function closeArchivedThread(deps: { readonly activeReplies: ActiveReplies }, threadId: string): boolean {
	return deps.activeReplies.stop(
		threadId,
		new ModelError('gone', 'The thread was archived', { code: 'thread-archived' }),
	);
}
