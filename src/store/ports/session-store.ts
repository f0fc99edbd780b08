import type { NewSession, Session } from '../../domain/session.js';
import type {
	ContextTurn,
	NewUserTurn,
	ReplyAuthor,
	ReplyEnding,
	ReplyProgress,
	StoredTurn,
} from '../../domain/turn.js';

/**
 * All conversation state: sessions (one per thread) and their turns. Every method is asynchronous (the store may be a
 * network away); what callers rely on in order they enforce themselves (see the intake lock in `discord/on-message`).
 */
export type SessionStore = {
	getSession(threadId: string): Promise<Session | undefined>;
	/** Creates the session unless it exists; returns the stored one either way. */
	ensureSession(session: NewSession): Promise<Session>;
	markSessionDeleted(threadId: string): Promise<void>;
	setCharactersPerToken(threadId: string, value: number): Promise<void>;
	/** The sessions in a text channel's threads that still exist (the channel was deleted, say). */
	sessionsIn(parentChannelId: string): Promise<Session[]>;
	/** Sessions written to since `since` (epoch ms) whose thread still exists, most recent first. */
	activeSessions(since: number): Promise<Session[]>;
	hasDiscordMessage(discordMessageId: string): Promise<boolean>;
	/** The stored turn for a Discord message id (a member's message or a reply's first message). */
	findByDiscordMessage(discordMessageId: string): Promise<StoredTurn | undefined>;
	/** The reply that posted `discordMessageId` in `threadId` (any of its messages, not only the first). */
	findReplyByMessage(threadId: string, discordMessageId: string): Promise<StoredTurn | undefined>;
	/** Whether the user started the session or wrote in it. */
	isParticipant(threadId: string, userId: string): Promise<boolean>;
	/** Returns undefined when this Discord message was already stored (a replayed event). */
	appendUserTurn(turn: NewUserTurn): Promise<StoredTurn | undefined>;
	/** The Discord id of the newest member message stored in the thread (where a catch-up continues reading). */
	lastMemberMessageId(threadId: string): Promise<string | undefined>;
	/** The newest member turn still in the context. */
	latestUserTurn(threadId: string): Promise<StoredTurn | undefined>;
	/** Whether a reply was started for this question or for a later one (which had it in its context). */
	isAnswered(turn: Pick<StoredTurn, 'id' | 'threadId'>): Promise<boolean>;
	/** A member edited their message: the stored text becomes the new one, and no copy of the old one stays. */
	updateTurnContent(turnId: number, content: string): Promise<void>;
	/** A member deleted their message before it was answered: it goes, with any reply row begun for it. */
	withdrawTurn(turnId: number): Promise<void>;
	/**
	 * A message deleted after other turns came to depend on it: its text, sources and files are removed and it leaves
	 * the context, but the row stays so the exchange keeps its place and its question counts as answered.
	 */
	eraseTurn(turnId: number): Promise<void>;
	/**
	 * The thread's turns in conversation order (each answer right after its question), in the exchanges after
	 * `afterTurnId` up to `throughTurnId`, without those /reset or /rewind excluded unless `includeExcluded`, and never
	 * the deleted ones.
	 */
	listTurns(
		threadId: string,
		options?: { afterTurnId?: number; throughTurnId?: number; includeExcluded?: boolean },
	): Promise<StoredTurn[]>;
	/**
	 * The turns in the context, newest first, in the exchanges after `afterTurnId` (those a summary covers) up to
	 * `throughTurnId`: read a page at a time, so a caller that stops early (its token budget is spent) never reads the
	 * rest of a long thread.
	 */
	contextNewestFirst(threadId: string, throughTurnId: number, afterTurnId?: number): AsyncIterable<ContextTurn>;
	/** Excludes every turn so far from the context; returns how many were excluded. */
	resetContext(threadId: string): Promise<number>;
	/** Excludes the last `exchanges` questions with their answers; returns how many exchanges were excluded. */
	rewind(threadId: string, exchanges: number): Promise<number>;
	/** Stores the reply as 'streaming' once its first message is posted; returns its turn id. */
	beginReply(author: ReplyAuthor, progress: ReplyProgress): Promise<number>;
	updateReply(turnId: number, progress: ReplyProgress): Promise<void>;
	finishReply(turnId: number, ending: ReplyEnding): Promise<StoredTurn>;
	/** A reply that never reached Discord (or a finished one stored in one go). */
	appendModelTurn(author: ReplyAuthor, ending: ReplyEnding): Promise<StoredTurn>;
	/** Replies left 'streaming' by a process that died. */
	streamingReplies(): Promise<StoredTurn[]>;
	/** Whether the question has an answer that the bot did not cut short itself. */
	hasFinishedAnswer(turnId: number): Promise<boolean>;
};
