import type { Kysely, RawBuilder } from 'kysely';
import { sql } from 'kysely';
import type { ReplyAuthor, ReplyEnding, ReplyProgress, StoredTurn, StoredTurnStatus } from '../../domain/turn.js';
import { CUT_BY_BOT } from '../../domain/turn.js';
import type { SessionStore } from '../ports/session-store.js';
import type { StoreDialect } from './dialect.js';
import { mapTurn } from './rows.js';
import type { TurnRow } from './rows.js';
import type { Schema } from './schema.js';
import type { StoreOptions } from './store-options.js';
import { touchSession } from './store-options.js';

type ReplyTurnStore = Pick<
	SessionStore,
	'beginReply' | 'updateReply' | 'finishReply' | 'appendModelTurn' | 'streamingReplies' | 'hasFinishedAnswer'
>;

type ReplyColumns = ReturnType<typeof progressColumns> &
	Partial<Omit<ReturnType<typeof endingColumns>, 'status'>> & {
		content: string;
		status: StoredTurnStatus;
		grounding?: RawBuilder<string | null>;
	};

function progressColumns(dialect: StoreDialect, progress: ReplyProgress) {
	return {
		discord_message_id: progress.replyMessageIds[0] ?? null,
		reply_message_ids: dialect.json(
			progress.replyMessageIds.length > 0 ? JSON.stringify(progress.replyMessageIds) : null,
		),
	};
}

function endingColumns(dialect: StoreDialect, ending: ReplyEnding) {
	return {
		...progressColumns(dialect, ending),
		status: ending.status,
		finish_reason: ending.finishReason ?? null,
		error_code: ending.errorCode ?? null,
		model: ending.model,
		prompt_tokens: ending.usage.promptTokens ?? null,
		output_tokens: ending.usage.outputTokens ?? null,
		thoughts_tokens: ending.usage.thoughtsTokens ?? null,
		total_tokens: ending.usage.totalTokens ?? null,
		cached_tokens: ending.usage.cachedTokens ?? null,
	};
}

const groundingText = (ending: ReplyEnding) => (ending.grounding ? JSON.stringify(ending.grounding) : null);

// A moderator may delete a reply while it streams (see eraseTurn): its text is not written back.
const keptUnlessErased = (content: string) => sql<string>`case when deleted_at is null then ${content} else '' end`;

/** A model turn's life: stored from its first Discord message on, updated while streaming, finished once. */
export function createReplyTurnStore(db: Kysely<Schema>, options: StoreOptions): ReplyTurnStore {
	const { dialect, now } = options;
	// The session first: on PostgreSQL a reply then waits behind a transaction holding the thread's lock (a retention
	// batch deleting its question, say) before its row refers to the question, instead of deadlocking with it.
	const insert = (author: ReplyAuthor, columns: ReplyColumns) =>
		db.transaction().execute(async (trx) => {
			await touchSession(trx, options, author.threadId);
			return trx
				.insertInto('messages')
				.values({
					thread_id: author.threadId,
					role: 'model',
					author_id: author.authorId,
					author_name: author.authorName,
					reply_to_id: author.replyToId,
					model: author.model,
					created_at: now(),
					...columns,
				})
				.returningAll()
				.executeTakeFirstOrThrow();
		});
	const stored = (row: TurnRow | undefined, what: string): StoredTurn => {
		if (!row) throw new Error(`Reply ${what} was not stored`);
		return mapTurn(row);
	};

	return {
		async beginReply(author, progress) {
			const row = await insert(author, {
				...progressColumns(dialect, progress),
				content: progress.content,
				status: 'streaming',
			});
			return row.id;
		},
		async updateReply(turnId, progress) {
			await db
				.updateTable('messages')
				.set({ ...progressColumns(dialect, progress), content: keptUnlessErased(progress.content) })
				.where('id', '=', turnId)
				.where('status', '=', sql.lit('streaming'))
				.execute();
		},
		async finishReply(turnId, ending) {
			const row = await db
				.updateTable('messages')
				.set({
					...endingColumns(dialect, ending),
					content: keptUnlessErased(ending.content),
					grounding: sql<string | null>`case when deleted_at is null then ${dialect.json(groundingText(ending))} end`,
				})
				.where('id', '=', turnId)
				.returningAll()
				.executeTakeFirst();
			return stored(row, String(turnId));
		},
		async appendModelTurn(author, ending) {
			const row = await insert(author, {
				...endingColumns(dialect, ending),
				content: ending.content,
				grounding: dialect.json(groundingText(ending)),
			});
			return mapTurn(row);
		},
		streamingReplies: async () =>
			(
				await db.selectFrom('messages').selectAll().where('status', '=', sql.lit('streaming')).orderBy('id').execute()
			).map(mapTurn),
		async hasFinishedAnswer(turnId) {
			const found = await db
				.selectFrom('messages')
				.select('id')
				.where('reply_to_id', '=', turnId)
				.where('role', '=', 'model')
				.where('status', '!=', sql.lit('streaming'))
				.where(sql<string>`coalesce(error_code, '')`, 'not in', CUT_BY_BOT)
				.limit(1)
				.executeTakeFirst();
			return found !== undefined;
		},
	};
}
