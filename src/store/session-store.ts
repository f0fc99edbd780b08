import type { SqliteDatabase } from './open-database.js';

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
	/** Returns undefined when this Discord message was already stored (a replayed event). */
	appendUserTurn(turn: NewUserTurn): StoredTurn | undefined;
	appendModelTurn(turn: NewModelTurn): StoredTurn;
	/** The thread's turns in conversation order (each answer right after its question), up to `throughTurnId`. */
	listTurns(threadId: string, options?: { throughTurnId?: number }): StoredTurn[];
};

type SessionRow = {
	thread_id: string;
	guild_id: string;
	parent_channel_id: string;
	creator_id: string;
	owned: number;
	created_at: number;
	updated_at: number;
};

type TurnRow = {
	id: number;
	thread_id: string;
	role: 'user' | 'model';
	author_id: string;
	author_name: string;
	content: string;
	discord_message_id: string | null;
	reply_to_id: number | null;
	status: ModelTurnStatus | null;
	finish_reason: string | null;
	error_code: string | null;
	model: string | null;
	prompt_tokens: number | null;
	output_tokens: number | null;
	thoughts_tokens: number | null;
	total_tokens: number | null;
	created_at: number;
};

export function createSessionStore(db: SqliteDatabase, now: () => number = Date.now): SessionStore {
	const selectSession = db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE thread_id = ?');
	const insertSession = db.prepare(
		`INSERT INTO sessions (thread_id, guild_id, parent_channel_id, creator_id, owned, created_at, updated_at)
		 VALUES (@threadId, @guildId, @parentChannelId, @creatorId, @owned, @now, @now)
		 ON CONFLICT (thread_id) DO NOTHING`,
	);
	const touchSession = db.prepare('UPDATE sessions SET updated_at = ? WHERE thread_id = ?');
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
	const selectTurns = db.prepare<[string, number], TurnRow>(
		`SELECT * FROM messages WHERE thread_id = ? AND coalesce(reply_to_id, id) <= ?
		 ORDER BY coalesce(reply_to_id, id), role = 'model', id`,
	);

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
			selectTurns.all(threadId, options.throughTurnId ?? Number.MAX_SAFE_INTEGER).map(mapTurn),
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

function mapSession(row: SessionRow | undefined): Session | undefined {
	return (
		row && {
			threadId: row.thread_id,
			guildId: row.guild_id,
			parentChannelId: row.parent_channel_id,
			creatorId: row.creator_id,
			owned: row.owned === 1,
			createdAt: row.created_at,
			updatedAt: row.updated_at,
		}
	);
}

function mapTurn(row: TurnRow): StoredTurn {
	return {
		id: row.id,
		threadId: row.thread_id,
		role: row.role,
		authorId: row.author_id,
		authorName: row.author_name,
		content: row.content,
		discordMessageId: row.discord_message_id ?? undefined,
		replyToId: row.reply_to_id ?? undefined,
		status: row.status ?? undefined,
		finishReason: row.finish_reason ?? undefined,
		errorCode: row.error_code ?? undefined,
		model: row.model ?? undefined,
		usage: {
			promptTokens: row.prompt_tokens ?? undefined,
			outputTokens: row.output_tokens ?? undefined,
			thoughtsTokens: row.thoughts_tokens ?? undefined,
			totalTokens: row.total_tokens ?? undefined,
		},
		createdAt: row.created_at,
	};
}
