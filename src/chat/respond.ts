import type { ReplyTarget } from '../discord/stream-reply.js';
import type { Logger } from '../logger.js';
import type { SessionStore, StoredTurn } from '../store/session-store.js';
import type { ConversationContext } from './build-prompt.js';
import { buildContents, buildSystemInstruction } from './build-prompt.js';
import type { ReplyOutcome } from './generate-reply.js';
import type { KeyedLock } from './keyed-lock.js';

export type RespondDeps = {
	readonly store: SessionStore;
	readonly threadLock: KeyedLock;
	readonly generate: (
		request: { model: string; systemInstruction: string; contents: ReturnType<typeof buildContents> },
		target: ReplyTarget,
		signal?: AbortSignal,
	) => Promise<ReplyOutcome>;
	readonly model: (threadId: string) => string;
	readonly contextTokenBudget: number;
	readonly logger: Logger;
	readonly now?: () => number;
};

export type Turn = {
	/** The member's message, already stored: it is never lost, whatever happens next. */
	readonly userTurn: StoredTurn;
	readonly context: Omit<ConversationContext, 'now'>;
	/** Where the reply goes; opened in turn order (e.g. creating the thread), so it may be async. */
	readonly openTarget: () => Promise<ReplyTarget>;
	/** The bot's user id, the author of the model turn. */
	readonly botId: string;
	readonly signal?: AbortSignal;
};

/**
 * Answers a stored user turn: one turn per thread at a time, in the order this is called, history from SQLite,
 * the reply stored with its status.
 */
export function createResponder(deps: RespondDeps): (turn: Turn) => Promise<StoredTurn> {
	const now = deps.now ?? Date.now;
	return (turn) =>
		deps.threadLock.run(turn.userTurn.threadId, async () => {
			const { threadId, id } = turn.userTurn;
			const model = deps.model(threadId);
			const request = {
				model,
				systemInstruction: buildSystemInstruction({ ...turn.context, now: new Date(now()) }),
				contents: buildContents(deps.store.listTurns(threadId, { throughTurnId: id }), deps.contextTokenBudget),
			};
			const startedAt = now();
			const target = await turn.openTarget();
			const outcome = await deps.generate(request, target, turn.signal);
			deps.logger.info(
				{
					threadId,
					status: outcome.status,
					errorCode: outcome.errorCode,
					durationMs: now() - startedAt,
					usage: outcome.usage,
				},
				'reply finished',
			);
			return deps.store.appendModelTurn({
				threadId,
				replyToId: id,
				authorId: turn.botId,
				authorName: turn.context.botName,
				content: outcome.text,
				discordMessageId: outcome.messageIds[0],
				status: outcome.status,
				finishReason: outcome.finishReason,
				errorCode: outcome.errorCode,
				model,
				usage: outcome.usage,
			});
		});
}
