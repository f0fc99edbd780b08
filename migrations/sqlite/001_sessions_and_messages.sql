-- One conversation per Discord thread.
CREATE TABLE sessions (
	thread_id TEXT PRIMARY KEY,
	guild_id TEXT NOT NULL,
	parent_channel_id TEXT NOT NULL,
	creator_id TEXT NOT NULL,
	-- 1 when the bot created the thread: every message there is for the bot; 0 for members' threads and forum
	-- posts, where only messages that mention the bot are.
	owned INTEGER NOT NULL CHECK (owned IN (0, 1)),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE messages (
	id INTEGER PRIMARY KEY,
	thread_id TEXT NOT NULL REFERENCES sessions (thread_id) ON DELETE CASCADE,
	role TEXT NOT NULL CHECK (role IN ('user', 'model')),
	author_id TEXT NOT NULL,
	author_name TEXT NOT NULL,
	content TEXT NOT NULL,
	-- The member's message for user turns (unique: a replayed gateway event never adds a second turn);
	-- the first message of the reply for model turns.
	discord_message_id TEXT UNIQUE,
	-- The user turn a model turn answers; history is ordered by (coalesce(reply_to_id, id), role).
	reply_to_id INTEGER REFERENCES messages (id),
	status TEXT CHECK (status IN ('complete', 'partial', 'error')),
	finish_reason TEXT,
	error_code TEXT,
	model TEXT,
	prompt_tokens INTEGER,
	output_tokens INTEGER,
	thoughts_tokens INTEGER,
	total_tokens INTEGER,
	created_at INTEGER NOT NULL,
	CHECK ((role = 'user') = (status IS NULL))
) STRICT;

CREATE INDEX messages_by_thread ON messages (thread_id, id);
CREATE INDEX messages_by_reply ON messages (reply_to_id);
