import { ModelError } from '../llm/model-error.js';
import type { SessionStore } from '../store/session-store.js';
import type { ActiveReplies } from './active-replies.js';

export type QuestionChangeDeps = { readonly store: SessionStore; readonly activeReplies: ActiveReplies };

export const QUESTION_DELETED = 'Stopped: the question was deleted.';

/**
 * A member edited a message. Until a reply has used it (a reply waiting in the queue builds its request only when
 * it starts), the stored turn follows the edit; afterwards the conversation keeps what was answered.
 */
export function reviseQuestion(deps: QuestionChangeDeps, discordMessageId: string, content: string): boolean {
	const turn = deps.store.findByDiscordMessage(discordMessageId);
	if (turn?.role !== 'user' || content.trim() === '' || turn.content === content) return false;
	const active = deps.activeReplies.get(turn.threadId);
	const waiting = active?.turnId === turn.id && !active.started;
	if (!waiting && deps.store.isAnswered(turn)) return false;
	deps.store.updateTurnContent(turn.id, content);
	return true;
}

/**
 * A member deleted a message. Not answered yet: it is dropped and never answered (a reply still waiting in the
 * queue is withdrawn, with any status line it showed). Being answered: that answer stops. Answered: kept.
 */
export function withdrawQuestion(
	deps: QuestionChangeDeps,
	discordMessageId: string,
): 'dropped' | 'withdrawn' | 'stopped' | 'kept' {
	const turn = deps.store.findByDiscordMessage(discordMessageId);
	if (turn?.role !== 'user') return 'kept';
	const active = deps.activeReplies.get(turn.threadId);
	if (active?.turnId === turn.id) {
		// The reply removes the turn itself once it has ended, so that nothing references it any more.
		if (!active.started) {
			deps.activeReplies.stop(turn.threadId, new ModelError('withdrawn', 'The question was deleted.'));
			return 'withdrawn';
		}
		deps.activeReplies.stop(turn.threadId, new ModelError('stopped', QUESTION_DELETED));
		return 'stopped';
	}
	if (deps.store.isAnswered(turn)) return 'kept';
	deps.store.withdrawTurn(turn.id);
	return 'dropped';
}
