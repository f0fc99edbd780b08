-- RETENTION_DAYS: the periodic job deletes turns older than a cutoff, oldest first, a batch at a time; this index
-- lets each batch find them without reading every thread.
CREATE INDEX messages_by_time ON messages (created_at);
