-- Files members post (and pictures the bot draws) are stored with their turn: Discord's links expire after about a
-- day, and a follow-up tomorrow, or after a restart, still needs the picture. Bytes are kept once per content hash.
CREATE TABLE attachment_blobs (
	sha256 TEXT PRIMARY KEY,
	data BLOB NOT NULL,
	size INTEGER NOT NULL
) STRICT;

CREATE TABLE turn_attachments (
	turn_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	-- As the member named it (a GIF converted to PNG keeps its name).
	filename TEXT NOT NULL,
	-- What is sent to Gemini: the type of the stored bytes.
	mime_type TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('image', 'pdf', 'audio', 'video', 'text')),
	size INTEGER NOT NULL,
	sha256 TEXT NOT NULL REFERENCES attachment_blobs (sha256),
	PRIMARY KEY (turn_id, position)
) STRICT;

CREATE INDEX turn_attachments_by_blob ON turn_attachments (sha256);

-- Lets the context read (one row per turn) know which turns have attachments without a join.
ALTER TABLE messages ADD COLUMN attachment_count INTEGER NOT NULL DEFAULT 0;

-- /imagine calls go in the usage ledger as their own kind. SQLite cannot alter a CHECK constraint: rebuild.
CREATE TABLE usage_records_next (
	id INTEGER PRIMARY KEY,
	guild_id TEXT NOT NULL,
	channel_id TEXT NOT NULL,
	user_id TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('reply', 'summary', 'image')),
	model TEXT NOT NULL,
	prompt_tokens INTEGER NOT NULL,
	output_tokens INTEGER NOT NULL,
	total_tokens INTEGER NOT NULL,
	created_at INTEGER NOT NULL
) STRICT;
INSERT INTO usage_records_next SELECT * FROM usage_records;
DROP TABLE usage_records;
ALTER TABLE usage_records_next RENAME TO usage_records;
CREATE INDEX usage_records_by_guild_time ON usage_records (guild_id, created_at);
