/** The shard a guild's events arrive on: `(guild_id >> 22) % shard count`, as Discord assigns them. */
export function shardOfGuild(guildId: string, shardCount: number): number {
	return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}
