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
