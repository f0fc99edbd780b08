-- /settings enabled and role: where the bot answers, and who may start a conversation there (a thread's row
-- overrides its channel's; NULL inherits). role_id is a role id, or 'everyone' for no requirement.
ALTER TABLE model_settings ADD COLUMN enabled INTEGER CHECK (enabled IN (0, 1));
ALTER TABLE model_settings ADD COLUMN role_id TEXT;

-- MEMBER_DAILY_TOKENS: a member's tokens today, read before each of their model calls.
CREATE INDEX usage_records_by_member_time ON usage_records (guild_id, user_id, created_at);
