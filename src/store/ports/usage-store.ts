import type { TokenUsage } from '../../domain/token-usage.js';

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
	/** The share of promptTokens served from the provider's cache. */
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
	record(record: UsageRecord): Promise<void>;
	/**
	 * Totals for a server since `since` (epoch ms), largest first; with `channelIds`, only the calls made in those text
	 * channels (and their threads).
	 */
	report(guildId: string, since: number, channelIds?: readonly string[]): Promise<UsageReport>;
	/** Total tokens a server (or one member of it) used since `since` (daily budgets). */
	tokensSince(guildId: string, since: number, userId?: string): Promise<number>;
};
