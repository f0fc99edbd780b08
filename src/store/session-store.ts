// Over 250 lines because it is the one store of sessions and their turns: every statement on `sessions` and
// `messages` is prepared here once, so that the indexes the hot path needs are visible in one place.
import { threadNameHash } from './bot-thread-name.js';
import type { SqliteDatabase } from './open-database.js';
import { createReplyTurnStore } from './reply-turn-store.js';
import type { ReplyTurnStore } from './reply-turn-store.js';
import type { TurnChangesStore } from './turn-changes-store.js';
import { createTurnChangesStore } from './turn-changes-store.js';
import type { ContextRow, SessionRow, TurnRow } from './session-rows.js';
import { mapSession, mapTurn } from './session-rows.js';

/** How a model turn ended. */
export type ModelTurnStatus = 'complete' | 'partial' | 'error';
/** 'streaming' while the reply is being written; a crash leaves it so until the next start-up. */
export type StoredTurnStatus = ModelTurnStatus | 'streaming';

export type TokenUsage = {
	promptTokens: number | undefined;
	outputTokens: number | undefined;
	thoughtsTokens: number | undefined;
	totalTokens: number | undefined;
	/** The share of the prompt Gemini served from its implicit cache (billed at a discount). */
	cachedTokens?: number | undefined;
};

/** Where a grounded answer came from (Google Search), as Gemini reported it; stored with the answer. */
export type Grounding = {
	readonly sources: readonly { readonly title: string; readonly url: string }[];
	readonly queries: readonly string[];
};

/** A call that reported no usage (failed, or cut off before Gemini's last chunk). */
export const NO_USAGE: TokenUsage = {
	promptTokens: undefined,
	outputTokens: undefined,
	thoughtsTokens: undefined,
	totalTokens: undefined,
};

export type Session = {
	threadId: string;
	guildId: string;
	parentChannelId: string;
	creatorId: string;
	/** The bot created the thread, so every member message there is for the bot. */
	owned: boolean;
	createdAt: number;
	updatedAt: number;
	/** When Discord said the thread is gone (deleted): nothing is posted there again. */
	deletedAt: number | undefined;
	/** Characters per token measured on the thread's previous call; undefined before its first reply. */
	charactersPerToken: number | undefined;
	/** The sha256 of the name the bot gave the thread when it created it (undefined for members' threads). */
	botThreadNameHash: string | undefined;
};

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

export type NewSession = Omit<
	Session,
	'createdAt' | 'updatedAt' | 'deletedAt' | 'charactersPerToken' | 'botThreadNameHash'
> & {
	/** The name the bot gave the thread, if it created it: only its hash is stored. */
	botThreadName?: string | undefined;
};
export type NewUserTurn = {
	threadId: string;
	authorId: string;
	authorName: string;
	content: string;
	discordMessageId: string;
	/** When the member posted it (epoch ms); defaults to now. */
	createdAt?: number;
};

/** All conversation state; synchronous because better-sqlite3 is. */
export type SessionStore = ReplyTurnStore &
	TurnChangesStore & {
		getSession(threadId: string): Session | undefined;
		/** Creates the session unless it exists; returns the stored one either way. */
		ensureSession(session: NewSession): Session;
		markSessionDeleted(threadId: string): void;
		setCharactersPerToken(threadId: string, value: number): void;
		/** The sessions in a text channel's threads that still exist (the channel was deleted, say). */
		sessionsIn(parentChannelId: string): Session[];
		/** Sessions written to since `since` (epoch ms) whose thread still exists, most recent first. */
		activeSessions(since: number): Session[];
		hasDiscordMessage(discordMessageId: string): boolean;
		/** The stored turn for a Discord message id (a member's message or a reply's first message). */
		findByDiscordMessage(discordMessageId: string): StoredTurn | undefined;
		/** Whether the user started the session or wrote in it. */
		isParticipant(threadId: string, userId: string): boolean;
		/** Returns undefined when this Discord message was already stored (a replayed event). */
		appendUserTurn(turn: NewUserTurn): StoredTurn | undefined;
		/** The Discord id of the newest member message stored in the thread (where a catch-up continues reading). */
		lastMemberMessageId(threadId: string): string | undefined;
		/** The newest member turn still in the context. */
		latestUserTurn(threadId: string): StoredTurn | undefined;
		/** Whether a reply was started for this question or for a later one (which had it in its context). */
		isAnswered(turn: Pick<StoredTurn, 'id' | 'threadId'>): boolean;
		/**
		 * The thread's turns in conversation order (each answer right after its question), in the exchanges after
		 * `afterTurnId` up to `throughTurnId`, without those /reset or /rewind excluded unless `includeExcluded`, and never
		 * the deleted ones.
		 */
		listTurns(
			threadId: string,
			options?: { afterTurnId?: number; throughTurnId?: number; includeExcluded?: boolean },
		): StoredTurn[];
		/**
		 * The turns in the context, newest first, in the exchanges after `afterTurnId` (those a summary covers) up to
		 * `throughTurnId`: read lazily, so a caller that stops early (its token budget is spent) never reads the rest of
		 * a long thread.
		 */
		contextNewestFirst(threadId: string, throughTurnId: number, afterTurnId?: number): IterableIterator<ContextTurn>;
		/** Excludes every turn so far from the context; returns how many were excluded. */
		resetContext(threadId: string): number;
		/** Excludes the last `exchanges` questions with their answers; returns how many exchanges were excluded. */
		rewind(threadId: string, exchanges: number): number;
	};

export function createSessionStore(db: SqliteDatabase, now: () => number = Date.now): SessionStore {
	const selectSession = db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE thread_id = ?');
	const insertSession = db.prepare(
		`INSERT INTO sessions (thread_id, guild_id, parent_channel_id, creator_id, owned, bot_thread_name_hash,
			created_at, updated_at)
		 VALUES (@threadId, @guildId, @parentChannelId, @creatorId, @owned, @botThreadNameHash, @now, @now)
		 ON CONFLICT (thread_id) DO NOTHING`,
	);
	const deleteSession = db.prepare<[number, string]>(
		'UPDATE sessions SET deleted_at = ? WHERE thread_id = ? AND deleted_at IS NULL',
	);
	const updateRatio = db.prepare<[number, string]>('UPDATE sessions SET characters_per_token = ? WHERE thread_id = ?');
	const selectActive = db.prepare<[number], SessionRow>(
		'SELECT * FROM sessions WHERE updated_at >= ? AND deleted_at IS NULL ORDER BY updated_at DESC',
	);
	// Only when a channel is deleted: rare enough not to need an index of its own.
	const selectInChannel = db.prepare<[string], SessionRow>(
		'SELECT * FROM sessions WHERE parent_channel_id = ? AND deleted_at IS NULL',
	);
	const touchSession = db.prepare('UPDATE sessions SET updated_at = max(updated_at, ?) WHERE thread_id = ?');
	const selectParticipant = db.prepare<[string, string, string, string], { found: number }>(
		`SELECT 1 AS found FROM sessions WHERE thread_id = ? AND creator_id = ?
		 UNION ALL SELECT 1 FROM messages WHERE thread_id = ? AND role = 'user' AND author_id = ? LIMIT 1`,
	);
	const selectByDiscordId = db.prepare<[string], TurnRow>('SELECT * FROM messages WHERE discord_message_id = ?');
	const insertUserTurn = db.prepare<Record<string, unknown>, TurnRow>(
		`INSERT INTO messages (thread_id, role, author_id, author_name, content, discord_message_id, created_at)
		 VALUES (@threadId, 'user', @authorId, @authorName, @content, @discordMessageId, @createdAt)
		 ON CONFLICT (discord_message_id) DO NOTHING
		 RETURNING *`,
	);
	const selectLastMember = db.prepare<[string], { discord_message_id: string }>(
		`SELECT discord_message_id FROM messages WHERE thread_id = ? AND role = 'user' AND discord_message_id IS NOT NULL
		 ORDER BY id DESC LIMIT 1`,
	);
	const selectLatestUser = db.prepare<[string], TurnRow>(
		`SELECT * FROM messages WHERE thread_id = ? AND role = 'user' AND excluded_at IS NULL ORDER BY id DESC LIMIT 1`,
	);
	// A reply to this question or a later one had it in its context; a reply's row is newer than its question.
	const selectAnswer = db.prepare<[string, number, number], { found: number }>(
		`SELECT 1 AS found FROM messages WHERE thread_id = ? AND id > ? AND role = 'model' AND reply_to_id >= ? LIMIT 1`,
	);
	const selectTurns = db.prepare<[string, number, number, number], TurnRow>(
		`SELECT * FROM messages WHERE thread_id = ? AND coalesce(reply_to_id, id) > ? AND coalesce(reply_to_id, id) <= ?
		 AND (excluded_at IS NULL OR ?) AND deleted_at IS NULL
		 ORDER BY coalesce(reply_to_id, id), role = 'model', id`,
	);
	// Matches the messages_in_context index exactly (same expressions, same order, same WHERE), so it stops early.
	const selectContext = db.prepare<[string, number, number], ContextRow>(
		`SELECT id, coalesce(reply_to_id, id) AS exchange_id, role, author_name, content, discord_message_id,
			attachment_count FROM messages
		 WHERE thread_id = ? AND coalesce(reply_to_id, id) > ? AND coalesce(reply_to_id, id) <= ? AND excluded_at IS NULL
		 ORDER BY coalesce(reply_to_id, id) DESC, role = 'model' DESC, id DESC`,
	);
	const excludeAll = db.prepare<[number, string]>(
		'UPDATE messages SET excluded_at = ? WHERE thread_id = ? AND excluded_at IS NULL',
	);
	const lastQuestions = db.prepare<[string, number], { id: number }>(
		`SELECT id FROM messages WHERE thread_id = ? AND role = 'user' AND excluded_at IS NULL ORDER BY id DESC LIMIT ?`,
	);
	const excludeExchange = db.prepare<[number, number, number]>(
		'UPDATE messages SET excluded_at = ? WHERE (id = ? OR reply_to_id = ?) AND excluded_at IS NULL',
	);
	const rewind = db.transaction((threadId: string, exchanges: number): number => {
		const questions = lastQuestions.all(threadId, exchanges);
		const at = now();
		for (const { id } of questions) excludeExchange.run(at, id, id);
		return questions.length;
	});
	const insertUser = db.transaction((values: Record<string, unknown>): TurnRow | undefined => {
		const row = insertUserTurn.get(values);
		if (row) touchSession.run(now(), values['threadId']);
		return row;
	});

	return {
		...createReplyTurnStore(db, now, (threadId) => touchSession.run(now(), threadId)),
		...createTurnChangesStore(db, now),
		getSession: (threadId) => mapSession(selectSession.get(threadId)),
		ensureSession(session) {
			const { botThreadName, ...fields } = session;
			insertSession.run({
				...fields,
				owned: session.owned ? 1 : 0,
				botThreadNameHash: botThreadName === undefined ? null : threadNameHash(botThreadName),
				now: now(),
			});
			const stored = mapSession(selectSession.get(session.threadId));
			if (!stored) throw new Error(`Session ${session.threadId} was not stored`);
			return stored;
		},
		markSessionDeleted(threadId) {
			deleteSession.run(now(), threadId);
		},
		setCharactersPerToken(threadId, value) {
			updateRatio.run(value, threadId);
		},
		sessionsIn: (parentChannelId) => selectInChannel.all(parentChannelId).flatMap((row) => mapSession(row) ?? []),
		activeSessions: (since) => selectActive.all(since).flatMap((row) => mapSession(row) ?? []),
		hasDiscordMessage: (discordMessageId) => selectByDiscordId.get(discordMessageId) !== undefined,
		findByDiscordMessage(discordMessageId) {
			const row = selectByDiscordId.get(discordMessageId);
			return row && mapTurn(row);
		},
		isParticipant: (threadId, userId) => selectParticipant.get(threadId, userId, threadId, userId) !== undefined,
		appendUserTurn(turn) {
			const row = insertUser({ ...turn, createdAt: turn.createdAt ?? now() });
			return row && mapTurn(row);
		},
		lastMemberMessageId: (threadId) => selectLastMember.get(threadId)?.discord_message_id,
		latestUserTurn(threadId) {
			const row = selectLatestUser.get(threadId);
			return row && mapTurn(row);
		},
		isAnswered: (turn) => selectAnswer.get(turn.threadId, turn.id, turn.id) !== undefined,
		listTurns: (threadId, options = {}) =>
			selectTurns
				.all(
					threadId,
					options.afterTurnId ?? 0,
					options.throughTurnId ?? Number.MAX_SAFE_INTEGER,
					options.includeExcluded ? 1 : 0,
				)
				.map(mapTurn),
		*contextNewestFirst(threadId, throughTurnId, afterTurnId = 0) {
			for (const row of selectContext.iterate(threadId, afterTurnId, throughTurnId)) {
				yield {
					id: row.id,
					exchangeId: row.exchange_id,
					role: row.role,
					authorName: row.author_name,
					content: row.content,
					discordMessageId: row.discord_message_id ?? undefined,
					attachmentCount: row.attachment_count,
				};
			}
		},
		resetContext: (threadId) => excludeAll.run(now(), threadId).changes,
		rewind: (threadId, exchanges) => rewind(threadId, exchanges),
	};
}
