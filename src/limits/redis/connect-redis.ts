import { Redis } from 'ioredis';
import { describeRedisError, redisTarget } from './describe-redis-error.js';

/** Redis could not be used at start; the message is one line naming REDIS_URL, without the password. */
export class RedisOpenError extends Error {
	override readonly name = 'RedisOpenError';
}

const RECONNECT_EVERY_MS = 1_000;
const CONNECT_TIMEOUT_MS = 5_000;
const COMMAND_TIMEOUT_MS = 2_000;

/** A connected client for the limits, or a RedisOpenError. */
export async function connectRedis(url: string): Promise<Redis> {
	const problem = (error: unknown): RedisOpenError =>
		new RedisOpenError(describeRedisError(error, url), { cause: error });
	// ioredis would take any other text for a host name, and retry it for ever.
	if (redisTarget(url) === undefined) throw problem(undefined);
	const redis = new Redis(url, {
		lazyConnect: true,
		// While Redis is away a command fails at once (the local share answers) instead of waiting in a queue, and
		// one cut off is never sent again once it is back: the local share counted it already.
		enableOfflineQueue: false,
		maxRetriesPerRequest: 0,
		autoResendUnfulfilledCommands: false,
		retryStrategy: (attempt) => Math.min(attempt * 200, RECONNECT_EVERY_MS),
		connectTimeout: CONNECT_TIMEOUT_MS,
		commandTimeout: COMMAND_TIMEOUT_MS,
	});
	// connect() only says "Connection is closed."; the 'error' event before it says why.
	let cause: unknown;
	redis.on('error', (error: unknown) => (cause ??= error));
	try {
		await redis.connect();
		return redis;
	} catch (error) {
		redis.disconnect();
		throw problem(cause ?? error);
	}
}
