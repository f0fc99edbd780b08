import type { Generated } from 'kysely';
import type { AttachmentKind } from '../ports/attachment-store.js';
import type { StoredTurnStatus } from '../../domain/turn.js';

/** A yes/no column: INTEGER 0/1 on SQLite, BOOLEAN on PostgreSQL (written through `StoreDialect.flag`). */
export type Flag = number | boolean;

/** JSON is stored as TEXT on SQLite and JSONB on PostgreSQL; both read back as its text (see open-pool.ts). */
export type JsonText = string;

export type SessionsTable = {
	thread_id: string;
	guild_id: string;
	parent_channel_id: string;
	creator_id: string;
	owned: Flag;
	created_at: number;
	updated_at: number;
	deleted_at: number | null;
	characters_per_token: number | null;
	bot_thread_name_hash: string | null;
};

export type MessagesTable = {
	id: Generated<number>;
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
	reply_message_ids: JsonText | null;
	attachment_count: Generated<number>;
	cached_tokens: number | null;
	grounding: JsonText | null;
	deleted_at: number | null;
	edited_at: number | null;
};

export type PersonasTable = { scope_id: string; guild_id: string; prompt: string; set_by: string; set_at: number };

export type ChannelModelsTable = {
	channel_id: string;
	guild_id: string;
	model: string;
	set_by: string;
	set_at: number;
};

export type BotStateTable = { key: string; value: string };

export type UsageRecordsTable = {
	id: Generated<number>;
	guild_id: string;
	channel_id: string;
	user_id: string;
	kind: 'reply' | 'summary' | 'image';
	model: string;
	prompt_tokens: number;
	output_tokens: number;
	total_tokens: number;
	created_at: number;
	cached_tokens: Generated<number>;
	location: string | null;
};

export type AttachmentBlobsTable = { sha256: string; data: Buffer; size: number };

export type TurnAttachmentsTable = {
	turn_id: number;
	position: number;
	filename: string;
	mime_type: string;
	kind: AttachmentKind;
	size: number;
	sha256: string;
};

export type ThreadSummariesTable = {
	thread_id: string;
	summary: string;
	through_turn_id: number;
	turn_count: number;
	model: string;
	created_at: number;
};

export type ModelSettingsTable = {
	scope_id: string;
	guild_id: string;
	search: Flag | null;
	urls: Flag | null;
	code: Flag | null;
	footer: Flag | null;
	temperature: number | null;
	max_output_tokens: number | null;
	thinking: string | null;
	set_by: string;
	set_at: number;
	enabled: Flag | null;
	role_id: string | null;
};

/** Every table the stores use, the same on both backends (migrations/sqlite and migrations/postgres). */
export type Schema = {
	sessions: SessionsTable;
	messages: MessagesTable;
	personas: PersonasTable;
	channel_models: ChannelModelsTable;
	bot_state: BotStateTable;
	usage_records: UsageRecordsTable;
	attachment_blobs: AttachmentBlobsTable;
	turn_attachments: TurnAttachmentsTable;
	thread_summaries: ThreadSummariesTable;
	model_settings: ModelSettingsTable;
};
