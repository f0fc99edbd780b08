import type { Kysely } from 'kysely';
import type { UsageStore, UsageTotal } from '../ports/usage-store.js';
import { NO_ROW } from './dialect.js';
import type { Schema } from './schema.js';
import type { StoreOptions } from './store-options.js';

type GroupColumn = 'guild_id' | 'channel_id' | 'user_id' | 'model' | 'location';

/** A ledger of tokens per model call over Kysely. */
export function createKyselyUsageStore(db: Kysely<Schema>, options: Pick<StoreOptions, 'now'>): UsageStore {
	const totals = async (
		groupBy: GroupColumn,
		guildId: string,
		since: number,
		channelIds: readonly string[] | undefined,
	): Promise<UsageTotal[]> => {
		const rows = await db
			.selectFrom('usage_records')
			.select((eb) => [
				eb.ref(groupBy).$notNull().as('id'),
				eb.fn.countAll<number>().as('calls'),
				eb.fn.sum<number>('prompt_tokens').as('prompt_tokens'),
				eb.fn.sum<number>('cached_tokens').as('cached_tokens'),
				eb.fn.sum<number>('output_tokens').as('output_tokens'),
				eb.fn.sum<number>('total_tokens').as('total_tokens'),
			])
			.where('guild_id', '=', guildId)
			.where('created_at', '>=', since)
			.$if(channelIds !== undefined, (query) =>
				query.where((eb) =>
					channelIds !== undefined && channelIds.length > 0 ? eb('channel_id', 'in', channelIds) : NO_ROW,
				),
			)
			.where(groupBy, 'is not', null)
			.groupBy(groupBy)
			.orderBy('total_tokens', 'desc')
			.orderBy('id')
			.execute();
		return rows.map((row) => ({
			id: row.id,
			calls: row.calls,
			promptTokens: row.prompt_tokens,
			cachedTokens: row.cached_tokens,
			outputTokens: row.output_tokens,
			totalTokens: row.total_tokens,
		}));
	};
	const tokens = (guildId: string, since: number) =>
		db
			.selectFrom('usage_records')
			.select((eb) => eb.fn.coalesce(eb.fn.sum<number>('total_tokens'), eb.lit(0)).as('tokens'))
			.where('guild_id', '=', guildId)
			.where('created_at', '>=', since);

	return {
		async record({ usage, ...record }) {
			const promptTokens = usage.promptTokens ?? 0;
			// Thinking tokens are billed as output.
			const outputTokens = (usage.outputTokens ?? 0) + (usage.thoughtsTokens ?? 0);
			const totalTokens = usage.totalTokens ?? promptTokens + outputTokens;
			if (totalTokens === 0) return;
			await db
				.insertInto('usage_records')
				.values({
					guild_id: record.guildId,
					channel_id: record.channelId,
					user_id: record.userId,
					kind: record.kind,
					model: record.model,
					location: record.location ?? null,
					prompt_tokens: promptTokens,
					cached_tokens: usage.cachedTokens ?? 0,
					output_tokens: outputTokens,
					total_tokens: totalTokens,
					created_at: options.now(),
				})
				.execute();
		},
		async tokensSince(guildId, since, userId) {
			const query =
				userId === undefined ? tokens(guildId, since) : tokens(guildId, since).where('user_id', '=', userId);
			const row = await query.executeTakeFirst();
			return row?.tokens ?? 0;
		},
		async report(guildId, since, channelIds) {
			const [total, byChannel, byUser, byModel, byLocation] = await Promise.all(
				(['guild_id', 'channel_id', 'user_id', 'model', 'location'] as const).map((column) =>
					totals(column, guildId, since, channelIds),
				),
			);
			return {
				total: total?.[0] ?? {
					id: guildId,
					calls: 0,
					promptTokens: 0,
					cachedTokens: 0,
					outputTokens: 0,
					totalTokens: 0,
				},
				byChannel: byChannel ?? [],
				byUser: byUser ?? [],
				byModel: byModel ?? [],
				byLocation: byLocation ?? [],
			};
		},
	};
}
