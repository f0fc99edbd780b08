import { ModelError } from '../llm/model-error.js';
import type { SessionStore } from '../store/ports/session-store.js';
import type { ActiveReplies } from './active-replies.js';

export type MessageChangeDeps = { readonly store: SessionStore; readonly activeReplies: ActiveReplies };

export const QUESTION_DELETED = 'Stopped: the question was deleted.';
export const ANSWER_DELETED = 'Stopped: the answer was deleted.';
/** The error code of a reply stopped because a moderator deleted it: once it has ended, its text is erased. */
export const ANSWER_DELETED_CODE = 'answer-deleted';

/** Why a reply stops when one of its messages is deleted. */
export function answerDeleted(): ModelError {
	return new ModelError('stopped', ANSWER_DELETED, { code: ANSWER_DELETED_CODE });
}

/**
 * A member edited a message the bot stored: the stored text becomes the new one, whether or not it was answered (a
 * reply waiting in the queue builds its request only when it starts, so it answers the edit). The old text is not
 * kept anywhere.
 */
export async function reviseMessage(
	deps: MessageChangeDeps,
	discordMessageId: string,
	content: string,
): Promise<boolean> {
	const turn = await deps.store.findByDiscordMessage(discordMessageId);
	if (turn?.role !== 'user' || turn.content === content) return false;
	await deps.store.updateTurnContent(turn.id, content);
	return true;
}

export type RemovedMessage = 'dropped' | 'withdrawn' | 'stopped' | 'erased' | 'not-stored';

/**
 * A message was deleted in Discord: a member's question, or a bot reply a moderator removed. A question not answered
 * yet is dropped and never answered (a reply still waiting in the queue is withdrawn, with any status line it showed);
 * one being answered stops that answer. Otherwise the text and files are erased, and the turn leaves the context.
 */
export async function removeMessage(
	deps: MessageChangeDeps,
	discordMessageId: string,
	channelId: string,
): Promise<RemovedMessage> {
	const turn =
		(await deps.store.findByDiscordMessage(discordMessageId)) ??
		(await deps.store.findReplyByMessage(channelId, discordMessageId));
	if (!turn) return 'not-stored';
	const active = deps.activeReplies.get(turn.threadId);
	const answering = active?.turnId === (turn.role === 'user' ? turn.id : turn.replyToId);
	if (turn.role === 'user' && answering && active?.started === false) {
		// The reply removes the turn itself once it has ended, so that nothing references it any more.
		deps.activeReplies.stop(turn.threadId, new ModelError('withdrawn', 'The question was deleted.'));
		return 'withdrawn';
	}
	if (turn.role === 'user' && !answering && !(await deps.store.isAnswered(turn))) {
		await deps.store.withdrawTurn(turn.id);
		return 'dropped';
	}
	// Erased before the reply ends: the replies queued behind it never read the words.
	await deps.store.eraseTurn(turn.id);
	if (!answering || (turn.status !== undefined && turn.status !== 'streaming')) return 'erased';
	deps.activeReplies.stop(
		turn.threadId,
		turn.role === 'user' ? new ModelError('stopped', QUESTION_DELETED) : answerDeleted(),
	);
	return 'stopped';
}
