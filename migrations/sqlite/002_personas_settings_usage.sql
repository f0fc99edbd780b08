-- Moderators' system prompts: per text channel (inherited by its threads) or per thread (overrides the channel's).
CREATE TABLE personas (
	scope_id TEXT PRIMARY KEY,
	guild_id TEXT NOT NULL,
	prompt TEXT NOT NULL,
	set_by TEXT NOT NULL,
	set_at INTEGER NOT NULL
) STRICT;

-- The model a channel (and its threads) uses, chosen with /model from GEMINI_MODELS.
CREATE TABLE channel_models (
	channel_id TEXT PRIMARY KEY,
	guild_id TEXT NOT NULL,
	model TEXT NOT NULL,
	set_by TEXT NOT NULL,
	set_at INTEGER NOT NULL
) STRICT;

-- Small facts the bot keeps about itself, such as the hash of the last registered slash commands.
CREATE TABLE bot_state (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

-- /reset and /rewind leave turns stored but stop sending them to the model.
ALTER TABLE messages ADD COLUMN excluded_at INTEGER;

-- Tokens of every model call (thread replies and summaries), for /usage.
CREATE TABLE usage_records (
	id INTEGER PRIMARY KEY,
	guild_id TEXT NOT NULL,
	channel_id TEXT NOT NULL,
	user_id TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('reply', 'summary')),
	model TEXT NOT NULL,
	prompt_tokens INTEGER NOT NULL,
	output_tokens INTEGER NOT NULL,
	total_tokens INTEGER NOT NULL,
	created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX usage_records_by_guild_time ON usage_records (guild_id, created_at);
