import type { Redis } from 'ioredis';
import type { RedisHealth } from './redis-health.js';

/** What each shared limit needs: the client, whether Redis answers, where its keys go, and its local share. */
export type RedisDeps = {
	readonly redis: Redis;
	readonly health: RedisHealth;
	/** Prefix of every key ('gemthread:'). */
	readonly prefix: string;
	/** How many processes share the limits: while Redis is away each keeps 1/processes of every limit. */
	readonly processes: number;
	readonly now: () => number;
};
