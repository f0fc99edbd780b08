import type { SqliteDatabase } from './open-database.js';
import type { TurnRow } from './session-rows.js';
import { mapTurn } from './session-rows.js';
import type { Grounding, ModelTurnStatus, StoredTurn, TokenUsage } from './session-store.js';

// A moderator may delete a reply while it streams (see TurnChangesStore.eraseTurn): its text is not written back.
const KEPT_UNLESS_ERASED = `CASE WHEN deleted_at IS NULL THEN @content ELSE '' END`;

/** Error codes of replies cut short by the bot itself (a crash, a shutdown): their question is still unanswered. */
export const CUT_BY_BOT = ['interrupted', 'shutdown'] as const;

export type ReplyAuthor = { threadId: string; replyToId: number; authorId: string; authorName: string; model: string };
export type ReplyProgress = { content: string; replyMessageIds: readonly string[] };
export type ReplyEnding = ReplyProgress & {
	status: ModelTurnStatus;
	finishReason: string | undefined;
	errorCode: string | undefined;
	/** The model that answered (a fallback may have taken over). */
	model: string;
	usage: TokenUsage;
	grounding?: Grounding | undefined;
};

/** A model turn's life: stored from its first Discord message on, updated while streaming, finished once. */
export type ReplyTurnStore = {
	/** Stores the reply as 'streaming' once its first message is posted; returns its turn id. */
	beginReply(author: ReplyAuthor, progress: ReplyProgress): number;
	updateReply(turnId: number, progress: ReplyProgress): void;
	finishReply(turnId: number, ending: ReplyEnding): StoredTurn;
	/** A reply that never reached Discord (or a finished one stored in one go). */
	appendModelTurn(author: ReplyAuthor, ending: ReplyEnding): StoredTurn;
	/** Replies left 'streaming' by a process that died. */
	streamingReplies(): StoredTurn[];
	/** Whether the question has an answer that the bot did not cut short itself. */
	hasFinishedAnswer(turnId: number): boolean;
};

export function createReplyTurnStore(
	db: SqliteDatabase,
	now: () => number,
	touch: (threadId: string) => void,
): ReplyTurnStore {
	const insert = db.prepare<Record<string, unknown>, TurnRow>(
		`INSERT INTO messages (thread_id, role, author_id, author_name, content, discord_message_id, reply_message_ids,
			reply_to_id, status, finish_reason, error_code, model, prompt_tokens, output_tokens, thoughts_tokens,
			total_tokens, cached_tokens, grounding, created_at)
		 VALUES (@threadId, 'model', @authorId, @authorName, @content, @discordMessageId, @replyMessageIds, @replyToId,
			@status, @finishReason, @errorCode, @model, @promptTokens, @outputTokens, @thoughtsTokens, @totalTokens,
			@cachedTokens, @grounding, @now)
		 RETURNING *`,
	);
	const update = db.prepare<Record<string, unknown>>(
		`UPDATE messages SET content = ${KEPT_UNLESS_ERASED}, discord_message_id = @discordMessageId,
			reply_message_ids = @replyMessageIds WHERE id = @turnId AND status = 'streaming'`,
	);
	const finish = db.prepare<Record<string, unknown>, TurnRow>(
		`UPDATE messages SET content = ${KEPT_UNLESS_ERASED}, discord_message_id = @discordMessageId,
			reply_message_ids = @replyMessageIds, status = @status, finish_reason = @finishReason, error_code = @errorCode,
			model = @model, prompt_tokens = @promptTokens, output_tokens = @outputTokens,
			thoughts_tokens = @thoughtsTokens, total_tokens = @totalTokens, cached_tokens = @cachedTokens,
			grounding = CASE WHEN deleted_at IS NULL THEN @grounding END
		 WHERE id = @turnId RETURNING *`,
	);
	const selectStreaming = db.prepare<[], TurnRow>(`SELECT * FROM messages WHERE status = 'streaming' ORDER BY id`);
	const selectFinished = db.prepare<[number, ...string[]], { found: number }>(
		`SELECT 1 AS found FROM messages WHERE reply_to_id = ? AND role = 'model' AND status != 'streaming'
		 AND coalesce(error_code, '') NOT IN (${CUT_BY_BOT.map(() => '?').join(', ')}) LIMIT 1`,
	);

	const progressValues = (progress: ReplyProgress) => ({
		content: progress.content,
		discordMessageId: progress.replyMessageIds[0] ?? null,
		replyMessageIds: progress.replyMessageIds.length > 0 ? JSON.stringify(progress.replyMessageIds) : null,
	});
	const endingValues = (ending: ReplyEnding) => ({
		...progressValues(ending),
		...emptyUsage,
		...definedOnly(ending.usage),
		grounding: ending.grounding ? JSON.stringify(ending.grounding) : null,
		status: ending.status,
		finishReason: ending.finishReason ?? null,
		errorCode: ending.errorCode ?? null,
		model: ending.model,
	});
	const noEnding = { finishReason: null, errorCode: null, grounding: null, ...emptyUsage };
	const stored = (row: TurnRow | undefined, what: string): StoredTurn => {
		if (!row) throw new Error(`Reply ${what} was not stored`);
		return mapTurn(row);
	};

	return {
		beginReply(author, progress) {
			const row = insert.get({ ...author, ...noEnding, ...progressValues(progress), status: 'streaming', now: now() });
			touch(author.threadId);
			return stored(row, `in ${author.threadId}`).id;
		},
		updateReply(turnId, progress) {
			update.run({ turnId, ...progressValues(progress) });
		},
		finishReply(turnId, ending) {
			return stored(finish.get({ turnId, ...endingValues(ending) }), String(turnId));
		},
		appendModelTurn(author, ending) {
			const row = insert.get({ ...author, ...endingValues(ending), now: now() });
			touch(author.threadId);
			return stored(row, `in ${author.threadId}`);
		},
		streamingReplies: () => selectStreaming.all().map(mapTurn),
		hasFinishedAnswer: (turnId) => selectFinished.get(turnId, ...CUT_BY_BOT) !== undefined,
	};
}

const emptyUsage = {
	promptTokens: null,
	outputTokens: null,
	thoughtsTokens: null,
	totalTokens: null,
	cachedTokens: null,
};

/** better-sqlite3 binds null, not undefined: leave unreported counts to the nulls they are spread over. */
function definedOnly(usage: TokenUsage): Partial<Record<keyof TokenUsage, number>> {
	return Object.fromEntries(Object.entries(usage).filter(([, value]) => value !== undefined));
}
