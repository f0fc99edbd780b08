import type { Selectable } from 'kysely';
import type { Session } from '../../domain/session.js';
import type { Grounding, StoredTurn } from '../../domain/turn.js';
import { isSet } from './dialect.js';
import type { MessagesTable, SessionsTable } from './schema.js';

export type SessionRow = Selectable<SessionsTable>;
export type TurnRow = Selectable<MessagesTable>;

export function mapSession(row: SessionRow): Session {
	return {
		threadId: row.thread_id,
		guildId: row.guild_id,
		parentChannelId: row.parent_channel_id,
		creatorId: row.creator_id,
		owned: isSet(row.owned),
		createdAt: row.created_at,
		updatedAt: row.updated_at,
		deletedAt: row.deleted_at ?? undefined,
		charactersPerToken: row.characters_per_token ?? undefined,
		botThreadNameHash: row.bot_thread_name_hash ?? undefined,
	};
}

export function mapTurn(row: TurnRow): StoredTurn {
	return {
		id: row.id,
		threadId: row.thread_id,
		role: row.role,
		authorId: row.author_id,
		authorName: row.author_name,
		content: row.content,
		discordMessageId: row.discord_message_id ?? undefined,
		replyMessageIds: row.reply_message_ids === null ? [] : (JSON.parse(row.reply_message_ids) as string[]),
		replyToId: row.reply_to_id ?? undefined,
		exchangeId: row.reply_to_id ?? row.id,
		status: row.status ?? undefined,
		finishReason: row.finish_reason ?? undefined,
		errorCode: row.error_code ?? undefined,
		model: row.model ?? undefined,
		usage: {
			promptTokens: row.prompt_tokens ?? undefined,
			outputTokens: row.output_tokens ?? undefined,
			thoughtsTokens: row.thoughts_tokens ?? undefined,
			totalTokens: row.total_tokens ?? undefined,
			cachedTokens: row.cached_tokens ?? undefined,
		},
		createdAt: row.created_at,
		excludedAt: row.excluded_at ?? undefined,
		attachmentCount: row.attachment_count,
		grounding: row.grounding === null ? undefined : (JSON.parse(row.grounding) as Grounding),
	};
}
