import { startFakeDiscord } from '../../src/emulator/discord/index.js';
import type { FakeDiscord, FakeGuildHandle } from '../../src/emulator/discord/index.js';
import { startFakeGemini } from '../fakes/fake-gemini/index.js';
import type { FakeGemini } from '../fakes/fake-gemini/index.js';
import { createTestSchema } from './postgres.js';
import { testKeyPrefix, TEST_REDIS_URL } from './redis.js';
import type { SpawnedBot } from './spawn-bot.js';
import { spawnBot } from './spawn-bot.js';
import { testEnvironment } from './start-test-bot.js';

/** Two guilds on the two shards of a fake Discord, one PostgreSQL schema and a Redis key prefix of their own. */
export type ShardedWorld = {
	readonly discord: FakeDiscord;
	readonly gemini: FakeGemini;
	/** The guild on shard 0, and the one on shard 1. */
	readonly guilds: readonly [FakeGuildHandle, FakeGuildHandle];
	readonly databaseUrl: string;
	/** Starts the bot process that runs `shard` of 2 (its real entry point, so that it can be killed). */
	startProcess(shard: number, env?: Record<string, string>): Promise<SpawnedBot>;
};

/** Takes what undoes a step of the world (close the fakes, drop the schema, kill a process), to run in reverse order. */
export type DeferCleanup = (cleanup: () => Promise<unknown>) => void;

/**
 * A sharded world without a test runner: every step that needs undoing hands its cleanup to `defer` as soon as it is
 * done (even when a later step throws), and the caller runs them in reverse order when it is finished with the world.
 */
export async function startShardedWorld(
	defer: DeferCleanup,
	options: { redisUrl?: string; keyPrefix?: string } = {},
): Promise<ShardedWorld> {
	const discord = await startFakeDiscord({
		recommendedShards: 2,
		maxConcurrency: 2,
		guildShard: { shard: 0, of: 2 },
	});
	const gemini = await startFakeGemini();
	defer(() => Promise.all([discord.close(), gemini.close()]));
	const schema = await createTestSchema();
	defer(() => schema.drop());
	const first = discord.guilds[0];
	if (!first) throw new Error('the fake has no guild');
	const guilds = [first, discord.addGuild({ shard: 1, of: 2 })] as const;
	const prefix = options.keyPrefix ?? testKeyPrefix('shards');
	return {
		discord,
		gemini,
		guilds,
		databaseUrl: schema.url,
		async startProcess(shard, env = {}) {
			const bot = await spawnBot({
				...testEnvironment({ discord, gemini, databasePath: ':memory:', databaseUrl: schema.url }),
				SHARD_COUNT: '2',
				SHARD_IDS: String(shard),
				REDIS_URL: options.redisUrl ?? TEST_REDIS_URL,
				REDIS_KEY_PREFIX: prefix,
				...env,
			});
			defer(() => bot.kill());
			return bot;
		},
	};
}
