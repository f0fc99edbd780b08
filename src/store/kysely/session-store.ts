import type { Kysely } from 'kysely';
import type { SessionStore } from '../ports/session-store.js';
import { threadNameHash } from '../../domain/bot-thread-name.js';
import { createContextReader } from './context-reader.js';
import { changed } from './dialect.js';
import { createReplyTurnStore } from './reply-turn-store.js';
import { mapSession, mapTurn } from './rows.js';
import type { Schema } from './schema.js';
import type { StoreOptions } from './store-options.js';
import { touchSession } from './store-options.js';
import { createTurnChangesStore } from './turn-changes-store.js';
import { createTurnReads, latestUserTurns } from './turn-reads.js';

/** Sessions and their turns over Kysely, on SQLite or PostgreSQL; src/store/session-store.ts is the reference. */
export function createKyselySessionStore(db: Kysely<Schema>, options: StoreOptions): SessionStore {
	const { dialect, now } = options;
	const selectSession = (threadId: string) =>
		db.selectFrom('sessions').selectAll().where('thread_id', '=', threadId).executeTakeFirst();
	const liveSessions = () => db.selectFrom('sessions').selectAll().where('deleted_at', 'is', null);
	// /reset and /rewind take the thread's lock: a summary being saved meanwhile then sees the turns they excluded.
	const exclude = (threadId: string, which: (trx: Kysely<Schema>) => Promise<number[] | undefined>) =>
		db.transaction().execute(async (trx) => {
			await dialect.lockThreads(trx, [threadId]);
			const ids = await which(trx);
			if (ids?.length === 0) return 0;
			const result = await trx
				.updateTable('messages')
				.set({ excluded_at: now() })
				.where('thread_id', '=', threadId)
				.$if(ids !== undefined, (query) =>
					query.where((eb) => eb.or([eb('id', 'in', ids ?? []), eb('reply_to_id', 'in', ids ?? [])])),
				)
				.where('excluded_at', 'is', null)
				.executeTakeFirst();
			return ids?.length ?? changed(result);
		});

	return {
		...createReplyTurnStore(db, options),
		...createTurnChangesStore(db, options),
		...createTurnReads(db),
		contextNewestFirst: createContextReader(db),
		async getSession(threadId) {
			const row = await selectSession(threadId);
			return row && mapSession(row);
		},
		async ensureSession(session) {
			const at = now();
			await db
				.insertInto('sessions')
				.values({
					thread_id: session.threadId,
					guild_id: session.guildId,
					parent_channel_id: session.parentChannelId,
					creator_id: session.creatorId,
					owned: dialect.flag(session.owned),
					bot_thread_name_hash: session.botThreadName === undefined ? null : threadNameHash(session.botThreadName),
					created_at: at,
					updated_at: at,
				})
				.onConflict((conflict) => conflict.column('thread_id').doNothing())
				.execute();
			const stored = await selectSession(session.threadId);
			if (!stored) throw new Error(`Session ${session.threadId} was not stored`);
			return mapSession(stored);
		},
		async markSessionDeleted(threadId) {
			await db
				.updateTable('sessions')
				.set({ deleted_at: now() })
				.where('thread_id', '=', threadId)
				.where('deleted_at', 'is', null)
				.execute();
		},
		async setCharactersPerToken(threadId, value) {
			await db.updateTable('sessions').set({ characters_per_token: value }).where('thread_id', '=', threadId).execute();
		},
		// Only when a channel is deleted: rare enough not to need an index of its own.
		sessionsIn: async (parentChannelId) =>
			(await liveSessions().where('parent_channel_id', '=', parentChannelId).execute()).map(mapSession),
		activeSessions: async (since) =>
			(await liveSessions().where('updated_at', '>=', since).orderBy('updated_at', 'desc').execute()).map(mapSession),
		async appendUserTurn(turn) {
			const row = await db.transaction().execute(async (trx) => {
				const inserted = await trx
					.insertInto('messages')
					.values({
						thread_id: turn.threadId,
						role: 'user',
						author_id: turn.authorId,
						author_name: turn.authorName,
						content: turn.content,
						discord_message_id: turn.discordMessageId,
						created_at: turn.createdAt ?? now(),
					})
					.onConflict((conflict) => conflict.column('discord_message_id').doNothing())
					.returningAll()
					.executeTakeFirst();
				if (inserted) await touchSession(trx, options, turn.threadId);
				return inserted;
			});
			return row && mapTurn(row);
		},
		resetContext: (threadId) => exclude(threadId, () => Promise.resolve(undefined)),
		// The last questions in the context, each with its answers.
		rewind: (threadId, exchanges) =>
			exclude(threadId, async (trx) => {
				const questions = await latestUserTurns(trx, threadId)
					.select('id')
					.where('excluded_at', 'is', null)
					.limit(Math.max(0, exchanges))
					.execute();
				return questions.map((question) => question.id);
			}),
	};
}
