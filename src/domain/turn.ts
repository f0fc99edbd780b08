import type { TokenUsage } from './token-usage.js';

/** How a model turn ended. */
export type ModelTurnStatus = 'complete' | 'partial' | 'error';
/** 'streaming' while the reply is being written; a crash leaves it so until the next start-up. */
export type StoredTurnStatus = ModelTurnStatus | 'streaming';

/** Where a grounded answer came from (Google Search), as Gemini reported it; stored with the answer. */
export type Grounding = {
	readonly sources: readonly { readonly title: string; readonly url: string }[];
	readonly queries: readonly string[];
};

/** One message of a conversation: a member's (role 'user') or the bot's reply (role 'model'). */
export type StoredTurn = {
	id: number;
	threadId: string;
	role: 'user' | 'model';
	authorId: string;
	authorName: string;
	content: string;
	/** The member's message, or the first message of a reply (undefined when no member ever saw the reply). */
	discordMessageId: string | undefined;
	/** Every Discord message of a reply, in order. */
	replyMessageIds: string[];
	replyToId: number | undefined;
	/** The question's id for both turns of an exchange: the context's order, and what a summary covers. */
	exchangeId: number;
	status: StoredTurnStatus | undefined;
	finishReason: string | undefined;
	errorCode: string | undefined;
	model: string | undefined;
	usage: TokenUsage;
	createdAt: number;
	/** Set by /reset or /rewind: still stored, no longer sent to the model. */
	excludedAt: number | undefined;
	/** Files stored with the turn (see AttachmentStore). */
	attachmentCount: number;
	/** A grounded answer's sources and search queries. */
	grounding: Grounding | undefined;
};

/** What the model's context needs of a turn (read for every reply, so only these columns). */
export type ContextTurn = Pick<
	StoredTurn,
	'id' | 'exchangeId' | 'role' | 'authorName' | 'content' | 'discordMessageId' | 'attachmentCount'
>;

export type NewUserTurn = {
	threadId: string;
	authorId: string;
	authorName: string;
	content: string;
	discordMessageId: string;
	/** When the member posted it (epoch ms); defaults to now. */
	createdAt?: number;
};

/** Error codes of replies cut short by the bot itself (a crash, a shutdown): their question is still unanswered. */
export const CUT_BY_BOT = ['interrupted', 'shutdown'] as const;

/** Who writes a reply, and to which question. */
export type ReplyAuthor = { threadId: string; replyToId: number; authorId: string; authorName: string; model: string };
/** What a reply shows so far: its text and every Discord message it spans. */
export type ReplyProgress = { content: string; replyMessageIds: readonly string[] };
/** How a reply ended. */
export type ReplyEnding = ReplyProgress & {
	status: ModelTurnStatus;
	finishReason: string | undefined;
	errorCode: string | undefined;
	/** The model that answered (a fallback may have taken over). */
	model: string;
	usage: TokenUsage;
	grounding?: Grounding | undefined;
};
