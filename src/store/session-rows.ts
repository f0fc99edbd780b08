import type { Grounding, Session, StoredTurn, StoredTurnStatus } from './session-store.js';

export type SessionRow = {
	thread_id: string;
	guild_id: string;
	parent_channel_id: string;
	creator_id: string;
	owned: number;
	created_at: number;
	updated_at: number;
	deleted_at: number | null;
	characters_per_token: number | null;
	bot_thread_name_hash: string | null;
};

export type TurnRow = {
	id: number;
	thread_id: string;
	role: 'user' | 'model';
	author_id: string;
	author_name: string;
	content: string;
	discord_message_id: string | null;
	reply_to_id: number | null;
	status: StoredTurnStatus | null;
	finish_reason: string | null;
	error_code: string | null;
	model: string | null;
	prompt_tokens: number | null;
	output_tokens: number | null;
	thoughts_tokens: number | null;
	total_tokens: number | null;
	created_at: number;
	excluded_at: number | null;
	reply_message_ids: string | null;
	attachment_count: number;
	cached_tokens: number | null;
	grounding: string | null;
	deleted_at: number | null;
	edited_at: number | null;
};

export type ContextRow = Pick<
	TurnRow,
	'id' | 'role' | 'author_name' | 'content' | 'discord_message_id' | 'attachment_count'
> & { exchange_id: number };

export function mapSession(row: SessionRow | undefined): Session | undefined {
	return (
		row && {
			threadId: row.thread_id,
			guildId: row.guild_id,
			parentChannelId: row.parent_channel_id,
			creatorId: row.creator_id,
			owned: row.owned === 1,
			createdAt: row.created_at,
			updatedAt: row.updated_at,
			deletedAt: row.deleted_at ?? undefined,
			charactersPerToken: row.characters_per_token ?? undefined,
			botThreadNameHash: row.bot_thread_name_hash ?? undefined,
		}
	);
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
