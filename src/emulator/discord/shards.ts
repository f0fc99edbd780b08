/** `[shard_id, num_shards]` as IDENTIFY carries it. */
export type Shard = [number, number];

/** Gateway close codes Discord uses when IDENTIFY's `shard` does not fit. */
export const INVALID_SHARD = { code: 4010, reason: 'Invalid shard.' } as const;
export const SHARDING_REQUIRED = { code: 4011, reason: 'Sharding required.' } as const;

const GUILD_OBJECT_EVENTS = new Set(['GUILD_CREATE', 'GUILD_UPDATE', 'GUILD_DELETE']);
const SNOWFLAKE = /^\d{1,20}$/;

function isShardNumber(value: unknown): value is number {
	return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** IDENTIFY's `shard`: none means `[0, 1]`; anything but two integers with `0 <= id < count` is undefined (4010). */
export function parseShard(value: unknown): Shard | undefined {
	if (value === undefined || value === null) return [0, 1];
	if (!Array.isArray(value) || value.length !== 2) return undefined;
	const entries: readonly unknown[] = value;
	const [id, count] = entries;
	if (!isShardNumber(id) || !isShardNumber(count) || count < 1 || id >= count) return undefined;
	return [id, count];
}

/**
 * Why Discord would close this IDENTIFY of a valid shard: a shard count other than that of the token's live sessions
 * (4010), or fewer shards than the bot's guilds need (4011).
 */
export function identifyRefusal(
	shard: Shard,
	liveShardCounts: readonly number[],
	requiredShards: number | undefined,
): { code: number; reason: string } | undefined {
	if (liveShardCounts.some((count) => count !== shard[1])) return INVALID_SHARD;
	if (requiredShards !== undefined && shard[1] < requiredShards) return SHARDING_REQUIRED;
	return undefined;
}

/** The guild an event belongs to (`id` of the guild events, otherwise `guild_id`), which decides its shard. */
export function guildIdOfEvent(event: string, data: unknown): string | undefined {
	if (typeof data !== 'object' || data === null) return undefined;
	const record = data as Record<string, unknown>;
	const value = GUILD_OBJECT_EVENTS.has(event) ? record.id : record.guild_id;
	return typeof value === 'string' && SNOWFLAKE.test(value) ? value : undefined;
}
