import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { SessionStore } from '../ports/session-store.js';
import { EXCHANGE } from './dialect.js';
import { mapTurn } from './rows.js';
import type { Schema } from './schema.js';

type TurnReads = Pick<
	SessionStore,
	| 'hasDiscordMessage'
	| 'findByDiscordMessage'
	| 'isParticipant'
	| 'lastMemberMessageId'
	| 'latestUserTurn'
	| 'isAnswered'
	| 'listTurns'
>;

/** The newest member turns of a thread first (`rewind` uses it too). */
export function latestUserTurns(from: Kysely<Schema>, threadId: string) {
	return from.selectFrom('messages').where('thread_id', '=', threadId).where('role', '=', 'user').orderBy('id', 'desc');
}

/** What the bot asks about stored turns. */
export function createTurnReads(db: Kysely<Schema>): TurnReads {
	const selectByDiscordId = (discordMessageId: string) =>
		db.selectFrom('messages').selectAll().where('discord_message_id', '=', discordMessageId).executeTakeFirst();
	return {
		hasDiscordMessage: async (discordMessageId) => (await selectByDiscordId(discordMessageId)) !== undefined,
		async findByDiscordMessage(discordMessageId) {
			const row = await selectByDiscordId(discordMessageId);
			return row && mapTurn(row);
		},
		async isParticipant(threadId, userId) {
			const found = await db
				.selectFrom('sessions')
				.select(sql<number>`1`.as('found'))
				.where('thread_id', '=', threadId)
				.where('creator_id', '=', userId)
				.unionAll(
					db
						.selectFrom('messages')
						.select(sql<number>`1`.as('found'))
						.where('thread_id', '=', threadId)
						.where('role', '=', 'user')
						.where('author_id', '=', userId),
				)
				.limit(1)
				.executeTakeFirst();
			return found !== undefined;
		},
		async lastMemberMessageId(threadId) {
			const row = await latestUserTurns(db, threadId)
				.select('discord_message_id')
				.where('discord_message_id', 'is not', null)
				.limit(1)
				.executeTakeFirst();
			return row?.discord_message_id ?? undefined;
		},
		async latestUserTurn(threadId) {
			const row = await latestUserTurns(db, threadId)
				.selectAll()
				.where('excluded_at', 'is', null)
				.limit(1)
				.executeTakeFirst();
			return row && mapTurn(row);
		},
		// A reply to this question or a later one had it in its context; a reply's row is newer than its question.
		async isAnswered(turn) {
			const found = await db
				.selectFrom('messages')
				.select('id')
				.where('thread_id', '=', turn.threadId)
				.where('id', '>', turn.id)
				.where('role', '=', 'model')
				.where('reply_to_id', '>=', turn.id)
				.limit(1)
				.executeTakeFirst();
			return found !== undefined;
		},
		async listTurns(threadId, options = {}) {
			const rows = await db
				.selectFrom('messages')
				.selectAll()
				.where('thread_id', '=', threadId)
				.where(EXCHANGE, '>', options.afterTurnId ?? 0)
				.where(EXCHANGE, '<=', options.throughTurnId ?? Number.MAX_SAFE_INTEGER)
				.$if(options.includeExcluded !== true, (query) => query.where('excluded_at', 'is', null))
				.where('deleted_at', 'is', null)
				.orderBy(EXCHANGE)
				.orderBy(sql`role = 'model'`)
				.orderBy('id')
				.execute();
			return rows.map(mapTurn);
		},
	};
}
