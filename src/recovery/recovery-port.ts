import type { Session } from '../domain/session.js';
import type { StoredTurn } from '../domain/turn.js';

/** A message read back from a thread's history, as the catch-up needs it. */
export type MissedMessage = {
	readonly id: string;
	readonly authorId: string;
	readonly authorName: string;
	/** Bots (including this one) and system messages are never questions. */
	readonly fromBot: boolean;
	/** The text as a member's turn stores it (the bot's mention removed, mentions readable); '' for none. */
	readonly content: string;
	readonly mentionsBot: boolean;
	readonly createdAt: number;
};

/**
 * What start-up recovery needs from Discord. A thread that is gone (deleted, or the bot lost access) makes these
 * throw ReplyTargetGone.
 */
export type RecoveryPort = {
	/** The current content of each message of a reply, in order; undefined for one that no longer exists. */
	readReply(threadId: string, messageIds: readonly string[]): Promise<(string | undefined)[]>;
	/** Replaces a reply message's content and removes its components (the Stop button). */
	closeReply(threadId: string, messageId: string, content: string): Promise<void>;
	/** Posts a short line in the thread. */
	post(threadId: string, content: string): Promise<void>;
	/** Up to 100 messages posted after `afterId`, oldest first. */
	messagesAfter(threadId: string, afterId: string): Promise<MissedMessage[]>;
	/** Answers a stored member turn in its thread, as a live message would be. */
	answer(session: Session, turn: StoredTurn): Promise<void>;
};
