import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { ContextTurn } from '../../domain/turn.js';
import { EXCHANGE } from './dialect.js';
import type { Schema } from './schema.js';

/** Enough for a default budget in one or two pages; later pages grow, as a caller that read this far reads on. */
export const FIRST_PAGE_ROWS = 64;
const MAX_PAGE_ROWS = 512;

/** Where the previous page ended: the next one starts right after this row, in the index's order. */
type Cursor = { readonly exchangeId: number; readonly id: number };

/**
 * The context of a thread newest first, a page at a time (keyset pagination): a caller that stops early (its token
 * budget is spent) never reads the next page.
 */
export function createContextReader(db: Kysely<Schema>) {
	// Same expressions, order and WHERE as the messages_in_context index, so each page is a range of it and no sort.
	// Within an exchange the answers follow their question's id, so (exchange, id) alone places a row in that order.
	const page = (
		threadId: string,
		afterTurnId: number,
		throughTurnId: number,
		cursor: Cursor | undefined,
		rows: number,
	) =>
		db
			.selectFrom('messages')
			.select([
				'id',
				EXCHANGE.as('exchange_id'),
				'role',
				'author_name',
				'content',
				'discord_message_id',
				'attachment_count',
			])
			.where('thread_id', '=', threadId)
			.where(EXCHANGE, '>', afterTurnId)
			.where(EXCHANGE, '<=', cursor?.exchangeId ?? throughTurnId)
			.where('excluded_at', 'is', null)
			.$if(cursor !== undefined, (query) =>
				query.where((eb) => eb.or([eb(EXCHANGE, '<', cursor?.exchangeId ?? 0), eb('id', '<', cursor?.id ?? 0)])),
			)
			.orderBy(EXCHANGE, 'desc')
			.orderBy(sql`role = 'model'`, 'desc')
			.orderBy('id', 'desc')
			.limit(rows)
			.execute();

	return async function* contextNewestFirst(
		threadId: string,
		throughTurnId: number,
		afterTurnId = 0,
	): AsyncGenerator<ContextTurn> {
		let cursor: Cursor | undefined;
		for (let rows = FIRST_PAGE_ROWS; ; rows = Math.min(rows * 2, MAX_PAGE_ROWS)) {
			const found = await page(threadId, afterTurnId, throughTurnId, cursor, rows);
			for (const row of found) {
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
			const last = found.at(-1);
			if (last === undefined || found.length < rows) return;
			cursor = { exchangeId: last.exchange_id, id: last.id };
		}
	};
}
