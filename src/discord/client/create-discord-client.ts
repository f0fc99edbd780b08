import { Client, GatewayIntentBits, Partials } from 'discord.js';

/** Model output must never ping anyone: no @everyone, roles or users, not even the author of a replied-to message. */
export const NO_MENTIONS = { parse: [], repliedUser: false } as const;

export type ShardOptions = {
	/** SHARD_COUNT: 'auto' asks Discord how many (GET /gateway/bot). */
	readonly count: number | 'auto';
	/** SHARD_IDS: the shards this process runs; undefined: all of them. */
	readonly ids: readonly number[] | undefined;
};

export function createDiscordClient(options: { apiBase: string | undefined; shards?: ShardOptions }): Client {
	const shards = options.shards ?? { count: 'auto', ids: undefined };
	return new Client({
		// Every shard in this process by default (a bot past 2,500 servers keeps working), or the ones it was given.
		...(shards.count === 'auto'
			? { shards: 'auto' as const }
			: { shards: [...(shards.ids ?? range(shards.count))], shardCount: shards.count }),
		// MessageContent is privileged: it must also be switched on in the Developer Portal (see README).
		intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
		// Edits and deletions of messages posted before a restart (not in the cache) still arrive, as partials.
		partials: [Partials.Message],
		// discord.js replaces its default with `undefined` if the key is present but empty.
		rest: options.apiBase === undefined ? {} : { api: options.apiBase },
		allowedMentions: { parse: [], repliedUser: false },
	});
}

function range(count: number): number[] {
	return Array.from({ length: count }, (_, index) => index);
}
