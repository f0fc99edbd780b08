import type { EnvReader } from './env-reader.js';

export type Scaling = {
	/** SHARD_COUNT: 'auto' (Discord's recommendation) or a number. */
	readonly shardCount: number | 'auto';
	/** SHARD_IDS: the shards this process runs; undefined: all of them. */
	readonly shardIds: readonly number[] | undefined;
	/** How many processes share the limits (CLUSTER_PROCESSES, or what SHARD_IDS leaves to others). */
	readonly processes: number;
	/** REDIS_URL: where the processes keep their shared limits; required with more than one process. */
	readonly redisUrl: string | undefined;
	/** REDIS_KEY_PREFIX: several bots may share one Redis. @default 'gemthread:' */
	readonly redisKeyPrefix: string;
};

const MAX_SHARDS = 10_000;

/**
 * SHARD_COUNT, SHARD_IDS, CLUSTER_PROCESSES and REDIS_URL. One process runs every shard by default; a process that
 * runs part of them (SHARD_IDS) or one of `npm run cluster`'s shares its limits with the others through Redis, and
 * its data through PostgreSQL: a start without them says so.
 */
export function parseScaling(read: EnvReader, databaseUrl: string | undefined): Scaling {
	const countText = read.text('SHARD_COUNT') ?? 'auto';
	const shardCount = countText === 'auto' ? 'auto' : read.integer('SHARD_COUNT', 1, 1, MAX_SHARDS);
	const idsText = read.text('SHARD_IDS');
	let shardIds: number[] | undefined;
	if (idsText !== undefined) {
		if (shardCount === 'auto')
			read.problem('SHARD_IDS needs SHARD_COUNT set to a number (every process must agree on it)');
		else shardIds = shardRanges(idsText, shardCount, read.problem);
	}
	const clusterProcesses = read.optionalInteger('CLUSTER_PROCESSES', 1, 1_000);
	const share = shardIds !== undefined && typeof shardCount === 'number' ? Math.ceil(shardCount / shardIds.length) : 1;
	const processes = clusterProcesses ?? share;
	const given = read.text('REDIS_URL');
	const redisUrl = given === undefined || /^rediss?:\/\/\S+$/.test(given) ? given : undefined;
	if (given !== undefined && redisUrl === undefined) {
		read.problem('REDIS_URL must be a Redis URL such as redis://localhost:6379 (rediss:// for TLS)');
	}
	if (processes > 1 && redisUrl === undefined) {
		read.problem(
			`REDIS_URL is required with ${processes} processes: they keep the model, Discord and member limits together in Redis (redis://host:6379)`,
		);
	}
	if (processes > 1 && databaseUrl === undefined) {
		read.problem(
			`DATABASE_URL is required with ${processes} processes: they share one PostgreSQL database (see "Scaling out" in the README)`,
		);
	}
	return { shardCount, shardIds, processes, redisUrl, redisKeyPrefix: read.text('REDIS_KEY_PREFIX') ?? 'gemthread:' };
}

/** "0-3,6" → [0, 1, 2, 3, 6], each below `count`. */
function shardRanges(text: string, count: number, problem: (line: string) => void): number[] | undefined {
	const ids = new Set<number>();
	for (const part of text.split(',').map((entry) => entry.trim())) {
		const match = /^(\d+)(?:-(\d+))?$/.exec(part);
		const from = Number(match?.[1]);
		const to = Number(match?.[2] ?? match?.[1]);
		if (!match || to < from || to >= count) {
			problem(`SHARD_IDS must list shards below SHARD_COUNT (${count}) such as 0-3 or 0,2, got "${text}"`);
			return undefined;
		}
		for (let id = from; id <= to; id += 1) ids.add(id);
	}
	return [...ids].sort((a, b) => a - b);
}
