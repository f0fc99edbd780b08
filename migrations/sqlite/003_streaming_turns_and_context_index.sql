-- A model turn is stored from its first Discord message on, with status 'streaming' until it ends; a crash
-- leaves it 'streaming', and start-up turns it into 'partial'. SQLite cannot alter a CHECK constraint, so the
-- table is rebuilt (migrate() runs every file with foreign keys off and checks them before committing).
CREATE TABLE messages_next (
	id INTEGER PRIMARY KEY,
	thread_id TEXT NOT NULL REFERENCES sessions (thread_id) ON DELETE CASCADE,
	role TEXT NOT NULL CHECK (role IN ('user', 'model')),
	author_id TEXT NOT NULL,
	author_name TEXT NOT NULL,
	content TEXT NOT NULL,
	-- The member's message for user turns; the first message of the reply for model turns (NULL when no member
	-- ever saw the reply, which keeps it out of later context).
	discord_message_id TEXT UNIQUE,
	reply_to_id INTEGER REFERENCES messages (id),
	status TEXT CHECK (status IN ('streaming', 'complete', 'partial', 'error')),
	finish_reason TEXT,
	error_code TEXT,
	model TEXT,
	prompt_tokens INTEGER,
	output_tokens INTEGER,
	thoughts_tokens INTEGER,
	total_tokens INTEGER,
	created_at INTEGER NOT NULL,
	excluded_at INTEGER,
	-- Every Discord message of a model reply in order, as a JSON array of ids (a long reply spans several).
	reply_message_ids TEXT,
	CHECK ((role = 'user') = (status IS NULL))
) STRICT;

INSERT INTO messages_next (id, thread_id, role, author_id, author_name, content, discord_message_id, reply_to_id,
	status, finish_reason, error_code, model, prompt_tokens, output_tokens, thoughts_tokens, total_tokens, created_at,
	excluded_at, reply_message_ids)
SELECT id, thread_id, role, author_id, author_name, content, discord_message_id, reply_to_id,
	status, finish_reason, error_code, model, prompt_tokens, output_tokens, thoughts_tokens, total_tokens, created_at,
	excluded_at, CASE WHEN role = 'model' AND discord_message_id IS NOT NULL THEN json_array(discord_message_id) END
FROM messages;

DROP TABLE messages;
ALTER TABLE messages_next RENAME TO messages;

CREATE INDEX messages_by_thread ON messages (thread_id, id);
CREATE INDEX messages_by_reply ON messages (reply_to_id);
-- The context is read newest-first, in conversation order (each answer right after its question), only as far
-- back as the token budget reaches: this index has exactly that order, so the read stops early.
CREATE INDEX messages_in_context ON messages (thread_id, coalesce(reply_to_id, id) DESC, role = 'model' DESC, id DESC)
	WHERE excluded_at IS NULL;
CREATE INDEX messages_streaming ON messages (id) WHERE status = 'streaming';

-- Set when Discord says the thread is gone: nothing is posted there again, and catch-up skips it.
ALTER TABLE sessions ADD COLUMN deleted_at INTEGER;
-- Catch-up reads the threads active in the last CATCH_UP_WINDOW.
CREATE INDEX sessions_by_activity ON sessions (updated_at);
