-- Long threads: the oldest turns are folded into a rolling summary made by the model. One row per thread, replaced
-- as the summary grows; it covers every turn in the context whose exchange (coalesce(reply_to_id, id)) is at or
-- below through_turn_id. Turns are never deleted: the summary only stands in for them in the model's context.
CREATE TABLE thread_summaries (
	thread_id TEXT PRIMARY KEY REFERENCES sessions (thread_id) ON DELETE CASCADE,
	summary TEXT NOT NULL,
	through_turn_id INTEGER NOT NULL,
	-- How many turns the summary stands for, for /export and the logs.
	turn_count INTEGER NOT NULL,
	model TEXT NOT NULL,
	created_at INTEGER NOT NULL
) STRICT;

-- Characters per token measured on this thread's previous call (its promptTokenCount against what was sent), so
-- the context estimate converges to Gemini's own count. NULL until the thread's first reply.
ALTER TABLE sessions ADD COLUMN characters_per_token REAL;

-- Implicitly cached prompt tokens (usageMetadata.cachedContentTokenCount), and a grounded answer's sources and
-- search queries as JSON ({"sources":[{"title","url"}],"queries":[...]}), shown under the answer.
ALTER TABLE messages ADD COLUMN cached_tokens INTEGER;
ALTER TABLE messages ADD COLUMN grounding TEXT;
ALTER TABLE usage_records ADD COLUMN cached_tokens INTEGER NOT NULL DEFAULT 0;

-- /settings: Gemini tools and generation settings per channel, or per thread (a thread's row overrides its
-- channel's, column by column; NULL means "inherit").
CREATE TABLE model_settings (
	scope_id TEXT PRIMARY KEY,
	guild_id TEXT NOT NULL,
	search INTEGER CHECK (search IN (0, 1)),
	urls INTEGER CHECK (urls IN (0, 1)),
	code INTEGER CHECK (code IN (0, 1)),
	footer INTEGER CHECK (footer IN (0, 1)),
	temperature REAL CHECK (temperature BETWEEN 0 AND 2),
	max_output_tokens INTEGER CHECK (max_output_tokens > 0),
	-- 'off', 'auto' or a token budget as digits.
	thinking TEXT,
	set_by TEXT NOT NULL,
	set_at INTEGER NOT NULL
) STRICT;
