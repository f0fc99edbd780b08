import type { SqliteDatabase } from './open-database.js';
import type { TokenUsage } from './session-store.js';

export type UsageRecord = {
	guildId: string;
	/** The text channel (for a thread: its parent), so usage adds up per channel. */
	channelId: string;
	/** The member whose message or command caused the call. */
	userId: string;
	kind: 'reply' | 'summary' | 'image';
	model: string;
	/** The Vertex AI location that served the call, if any. */
	location?: string | undefined;
	usage: TokenUsage;
};

export type UsageTotal = {
	id: string;
	calls: number;
	promptTokens: number;
	/** The share of promptTokens Gemini served from its implicit cache. */
	cachedTokens: number;
	outputTokens: number;
	totalTokens: number;
};
export type UsageReport = {
	total: UsageTotal;
	byChannel: UsageTotal[];
	byUser: UsageTotal[];
	byModel: UsageTotal[];
	/** Vertex AI locations (empty when no call ran on Vertex AI). */
	byLocation: UsageTotal[];
};

/** A ledger of tokens per model call. */
export type UsageStore = {
	record(record: UsageRecord): void;
	/**
	 * Totals for a server since `since` (epoch ms), largest first; with `channelIds`, only the calls made in those text
	 * channels (and their threads).
	 */
	report(guildId: string, since: number, channelIds?: readonly string[]): UsageReport;
	/** Total tokens a server (or one member of it) used since `since` (daily budgets). */
	tokensSince(guildId: string, since: number, userId?: string): number;
};

type TotalRow = {
	id: string;
	calls: number;
	prompt_tokens: number;
	cached_tokens: number;
	output_tokens: number;
	total_tokens: number;
};

export function createUsageStore(db: SqliteDatabase, now: () => number = Date.now): UsageStore {
	const insert = db.prepare(
		`INSERT INTO usage_records (guild_id, channel_id, user_id, kind, model, location, prompt_tokens, cached_tokens,
			output_tokens, total_tokens, created_at)
		 VALUES (@guildId, @channelId, @userId, @kind, @model, @location, @promptTokens, @cachedTokens, @outputTokens,
			@totalTokens, @now)`,
	);
	// `channels` is a JSON array of channel ids, or null for the whole server.
	const totals = (groupBy: 'guild_id' | 'channel_id' | 'user_id' | 'model' | 'location') =>
		db.prepare<{ guildId: string; since: number; channels: string | null }, TotalRow>(
			`SELECT ${groupBy} AS id, count(*) AS calls, sum(prompt_tokens) AS prompt_tokens,
				sum(cached_tokens) AS cached_tokens, sum(output_tokens) AS output_tokens, sum(total_tokens) AS total_tokens
			 FROM usage_records WHERE guild_id = @guildId AND created_at >= @since
			 AND (@channels IS NULL OR channel_id IN (SELECT value FROM json_each(@channels)))
			 AND ${groupBy} IS NOT NULL
			 GROUP BY ${groupBy} ORDER BY total_tokens DESC, id`,
		);
	const byGuild = totals('guild_id');
	const byChannel = totals('channel_id');
	const byUser = totals('user_id');
	const byModel = totals('model');
	const byLocation = totals('location');
	const guildTokens = db.prepare<[string, number], { tokens: number }>(
		'SELECT coalesce(sum(total_tokens), 0) AS tokens FROM usage_records WHERE guild_id = ? AND created_at >= ?',
	);
	const memberTokens = db.prepare<[string, string, number], { tokens: number }>(
		`SELECT coalesce(sum(total_tokens), 0) AS tokens FROM usage_records
		 WHERE guild_id = ? AND user_id = ? AND created_at >= ?`,
	);
	return {
		record({ usage, ...record }) {
			const promptTokens = usage.promptTokens ?? 0;
			// Thinking tokens are billed as output.
			const outputTokens = (usage.outputTokens ?? 0) + (usage.thoughtsTokens ?? 0);
			const totalTokens = usage.totalTokens ?? promptTokens + outputTokens;
			if (totalTokens === 0) return;
			insert.run({
				...record,
				location: record.location ?? null,
				promptTokens,
				cachedTokens: usage.cachedTokens ?? 0,
				outputTokens,
				totalTokens,
				now: now(),
			});
		},
		tokensSince(guildId, since, userId) {
			const row = userId === undefined ? guildTokens.get(guildId, since) : memberTokens.get(guildId, userId, since);
			return row?.tokens ?? 0;
		},
		report(guildId, since, channelIds) {
			const query = { guildId, since, channels: channelIds === undefined ? null : JSON.stringify(channelIds) };
			return {
				total: mapTotal(byGuild.get(query)) ?? {
					id: guildId,
					calls: 0,
					promptTokens: 0,
					cachedTokens: 0,
					outputTokens: 0,
					totalTokens: 0,
				},
				byChannel: byChannel.all(query).map((row) => mapTotal(row) as UsageTotal),
				byUser: byUser.all(query).map((row) => mapTotal(row) as UsageTotal),
				byModel: byModel.all(query).map((row) => mapTotal(row) as UsageTotal),
				byLocation: byLocation.all(query).map((row) => mapTotal(row) as UsageTotal),
			};
		},
	};
}

function mapTotal(row: TotalRow | undefined): UsageTotal | undefined {
	return (
		row && {
			id: row.id,
			calls: row.calls,
			promptTokens: row.prompt_tokens,
			cachedTokens: row.cached_tokens,
			outputTokens: row.output_tokens,
			totalTokens: row.total_tokens,
		}
	);
}
