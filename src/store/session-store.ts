import type { SqliteDatabase } from './open-database.js';
import type { SessionRow, TurnRow } from './session-rows.js';
import { mapSession, mapTurn } from './session-rows.js';

export type ModelTurnStatus = 'complete' | 'partial' | 'error';

export type TokenUsage = {
	promptTokens: number | undefined;
	outputTokens: number | undefined;
	thoughtsTokens: number | undefined;
	totalTokens: number | undefined;
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
};

export type StoredTurn = {
	id: number;
	threadId: string;
	role: 'user' | 'model';
	authorId: string;
	authorName: string;
	content: string;
	discordMessageId: string | undefined;
	replyToId: number | undefined;
	status: ModelTurnStatus | undefined;
	finishReason: string | undefined;
	errorCode: string | undefined;
	model: string | undefined;
	usage: TokenUsage;
	createdAt: number;
	/** Set by /reset or /rewind: still stored, no longer sent to the model. */
	excludedAt: number | undefined;
};

export type NewSession = Omit<Session, 'createdAt' | 'updatedAt'>;
export type NewUserTurn = {
	threadId: string;
	authorId: string;
	authorName: string;
	content: string;
	discordMessageId: string;
};
export type NewModelTurn = {
	threadId: string;
	replyToId: number;
	authorId: string;
	authorName: string;
	content: string;
	discordMessageId: string | undefined;
	status: ModelTurnStatus;
	finishReason: string | undefined;
	errorCode: string | undefined;
	model: string;
	usage: TokenUsage;
};

/** All conversation state; synchronous because better-sqlite3 is. */
export type SessionStore = {
	getSession(threadId: string): Session | undefined;
	/** Creates the session unless it exists; returns the stored one either way. */
	ensureSession(session: NewSession): Session;
	hasDiscordMessage(discordMessageId: string): boolean;
	/** Whether the user started the session or wrote in it. */
	isParticipant(threadId: string, userId: string): boolean;
	/** Returns undefined when this Discord message was already stored (a replayed event). */
	appendUserTurn(turn: NewUserTurn): StoredTurn | undefined;
	appendModelTurn(turn: NewModelTurn): StoredTurn;
	/**
	 * The thread's turns in conversation order (each answer right after its question), up to `throughTurnId`,
	 * without those /reset or /rewind excluded unless `includeExcluded`.
	 */
	listTurns(threadId: string, options?: { throughTurnId?: number; includeExcluded?: boolean }): StoredTurn[];
	/** Excludes every turn so far from the context; returns how many were excluded. */
	resetContext(threadId: string): number;
	/** Excludes the last `exchanges` questions with their answers; returns how many exchanges were excluded. */
	rewind(threadId: string, exchanges: number): number;
};

export function createSessionStore(db: SqliteDatabase, now: () => number = Date.now): SessionStore {
	const selectSession = db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE thread_id = ?');
	const insertSession = db.prepare(
		`INSERT INTO sessions (thread_id, guild_id, parent_channel_id, creator_id, owned, created_at, updated_at)
		 VALUES (@threadId, @guildId, @parentChannelId, @creatorId, @owned, @now, @now)
		 ON CONFLICT (thread_id) DO NOTHING`,
	);
	const touchSession = db.prepare('UPDATE sessions SET updated_at = ? WHERE thread_id = ?');
	const selectParticipant = db.prepare<[string, string, string, string], { found: number }>(
		`SELECT 1 AS found FROM sessions WHERE thread_id = ? AND creator_id = ?
		 UNION ALL SELECT 1 FROM messages WHERE thread_id = ? AND role = 'user' AND author_id = ? LIMIT 1`,
	);
	const selectByDiscordId = db.prepare<[string], { id: number }>(
		'SELECT id FROM messages WHERE discord_message_id = ?',
	);
	const insertTurn = db.prepare<unknown[], TurnRow>(
		`INSERT INTO messages (thread_id, role, author_id, author_name, content, discord_message_id, reply_to_id, status,
			finish_reason, error_code, model, prompt_tokens, output_tokens, thoughts_tokens, total_tokens, created_at)
		 VALUES (@threadId, @role, @authorId, @authorName, @content, @discordMessageId, @replyToId, @status,
			@finishReason, @errorCode, @model, @promptTokens, @outputTokens, @thoughtsTokens, @totalTokens, @now)
		 ON CONFLICT (discord_message_id) DO NOTHING
		 RETURNING *`,
	);
	const selectTurns = db.prepare<[string, number, number], TurnRow>(
		`SELECT * FROM messages WHERE thread_id = ? AND coalesce(reply_to_id, id) <= ? AND (excluded_at IS NULL OR ?)
		 ORDER BY coalesce(reply_to_id, id), role = 'model', id`,
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

	const insert = db.transaction((values: Record<string, unknown>): TurnRow | undefined => {
		const row = insertTurn.get(values);
		if (row) touchSession.run(values['now'], values['threadId']);
		return row;
	});

	return {
		getSession: (threadId) => mapSession(selectSession.get(threadId)),
		ensureSession(session) {
			insertSession.run({ ...session, owned: session.owned ? 1 : 0, now: now() });
			const stored = mapSession(selectSession.get(session.threadId));
			if (!stored) throw new Error(`Session ${session.threadId} was not stored`);
			return stored;
		},
		hasDiscordMessage: (discordMessageId) => selectByDiscordId.get(discordMessageId) !== undefined,
		isParticipant: (threadId, userId) => selectParticipant.get(threadId, userId, threadId, userId) !== undefined,
		appendUserTurn(turn) {
			const row = insert({ ...emptyModelFields, ...turn, role: 'user', replyToId: null, now: now() });
			return row && mapTurn(row);
		},
		appendModelTurn(turn) {
			const row = insert({
				...turn,
				...turn.usage,
				role: 'model',
				discordMessageId: turn.discordMessageId ?? null,
				now: now(),
			});
			if (!row) throw new Error(`Model turn for ${turn.threadId} was not stored`);
			return mapTurn(row);
		},
		listTurns: (threadId, options = {}) =>
			selectTurns
				.all(threadId, options.throughTurnId ?? Number.MAX_SAFE_INTEGER, options.includeExcluded ? 1 : 0)
				.map(mapTurn),
		resetContext: (threadId) => excludeAll.run(now(), threadId).changes,
		rewind: (threadId, exchanges) => rewind(threadId, exchanges),
	};
}

const emptyModelFields = {
	status: null,
	finishReason: null,
	errorCode: null,
	model: null,
	promptTokens: null,
	outputTokens: null,
	thoughtsTokens: null,
	totalTokens: null,
};
