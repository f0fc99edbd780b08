import type { ReplyTarget } from '../discord/stream-reply.js';
import type { Logger } from '../logger.js';
import type { SessionStore, StoredTurn } from '../store/session-store.js';
import type { UsageStore } from '../store/usage-store.js';
import type { ActiveReplies } from './active-replies.js';
import type { ConversationContext } from './build-prompt.js';
import { buildContents, buildSystemInstruction } from './build-prompt.js';
import type { ReplyOutcome } from './generate-reply.js';
import type { KeyedLock } from './keyed-lock.js';

export type RespondDeps = {
	readonly store: SessionStore;
	readonly usage: UsageStore;
	readonly threadLock: KeyedLock;
	readonly activeReplies: ActiveReplies;
	readonly generate: (
		request: { model: string; systemInstruction: string; contents: ReturnType<typeof buildContents> },
		target: ReplyTarget,
		signal: AbortSignal,
	) => Promise<ReplyOutcome>;
	/** The model a text channel (and so its threads) uses. */
	readonly modelFor: (channelId: string) => string;
	/** The moderators' persona in effect in a thread: its own, else its channel's. */
	readonly personaFor: (threadId: string, channelId: string) => string | undefined;
	readonly contextTokenBudget: number;
	readonly logger: Logger;
	readonly now?: () => number;
};

export type Turn = {
	/** The member's message, already stored: it is never lost, whatever happens next. */
	readonly userTurn: StoredTurn;
	readonly context: Omit<ConversationContext, 'now' | 'persona'>;
	/** Where the reply goes; opened in turn order (e.g. creating the thread), so it may be async. */
	readonly openTarget: () => Promise<ReplyTarget>;
	/** The bot's user id, the author of the model turn. */
	readonly botId: string;
};

/**
 * Answers a stored user turn: one turn per thread at a time, in the order this is called, history from SQLite,
 * the reply stored with its status and its tokens counted.
 */
export function createResponder(deps: RespondDeps): (turn: Turn) => Promise<StoredTurn> {
	const now = deps.now ?? Date.now;
	return (turn) =>
		deps.threadLock.run(turn.userTurn.threadId, async () => {
			const { threadId, id, authorId } = turn.userTurn;
			// The user turn's foreign key guarantees the session; its parent channel decides model and persona.
			const session = deps.store.getSession(threadId);
			const channelId = session?.parentChannelId ?? threadId;
			const model = deps.modelFor(channelId);
			const context = { ...turn.context, persona: deps.personaFor(threadId, channelId), now: new Date(now()) };
			const request = {
				model,
				systemInstruction: buildSystemInstruction(context),
				contents: buildContents(deps.store.listTurns(threadId, { throughTurnId: id }), deps.contextTokenBudget),
			};
			const target = await turn.openTarget();
			const active = deps.activeReplies.begin(threadId);
			const startedAt = now();
			let outcome: ReplyOutcome;
			try {
				outcome = await deps.generate(request, target, active.signal);
			} finally {
				active.end();
			}
			const { status, errorCode, usage } = outcome;
			deps.logger.info({ threadId, status, errorCode, durationMs: now() - startedAt, usage }, 'reply finished');
			if (session) {
				deps.usage.record({
					guildId: session.guildId,
					channelId,
					userId: authorId,
					kind: 'reply',
					model,
					usage,
				});
			}
			return deps.store.appendModelTurn({
				threadId,
				replyToId: id,
				authorId: turn.botId,
				authorName: turn.context.botName,
				content: outcome.text,
				discordMessageId: outcome.messageIds[0],
				status,
				finishReason: outcome.finishReason,
				errorCode,
				model,
				usage,
			});
		});
}
