-- A member's deleted message, or a bot reply a moderator deleted, after it was answered or while other turns refer
-- to it: the row stays as a tombstone (so the exchange keeps its order, and an answered question is never answered
-- again) but its text, sources and files are gone. deleted_at marks it; excluded_at is set with it, so it leaves the
-- context through the existing index.
ALTER TABLE messages ADD COLUMN deleted_at INTEGER;
-- When a member last edited the message: a summary fold that read the thread before then does not save the old text.
ALTER TABLE messages ADD COLUMN edited_at INTEGER;
-- The sha256 of the name the bot gave a thread it created (the name repeats the first question, so it is not kept):
-- the model is told the thread's name only when members chose another one.
ALTER TABLE sessions ADD COLUMN bot_thread_name_hash TEXT;
