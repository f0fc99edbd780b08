import { randomBytes } from 'node:crypto';
import { connectRedis } from '../../src/limits/redis/connect-redis.js';
import { announceSkip } from './announce-skip.js';

/** The Redis the tests use; each test file keeps its keys under a prefix of its own there. */
export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Why Redis cannot be used for tests, or undefined when it can. */
export const redisProblem = await reachRedis();

/** Whether the Redis tests run: Redis answers, or CI=true (where it must, so they fail instead). */
export const REDIS_TESTS_RUN = redisProblem === undefined || ['true', '1'].includes(process.env['CI'] ?? '');

if (!REDIS_TESTS_RUN && redisProblem !== undefined) {
	announceSkip(
		'redis',
		`Redis tests skipped: ${/[.?!]$/.test(redisProblem) ? redisProblem : `${redisProblem}.`} Start Redis or set TEST_REDIS_URL to run them (CI=true never skips them).`,
	);
}

/** A key prefix no other test (nor run) uses. */
export function testKeyPrefix(name: string): string {
	return `gemthread-test:${name}:${randomBytes(4).toString('hex')}:`;
}

async function reachRedis(): Promise<string | undefined> {
	try {
		const redis = await connectRedis(TEST_REDIS_URL);
		await redis.quit();
		return undefined;
	} catch (error) {
		return (error instanceof Error ? error.message : String(error)).replaceAll('REDIS_URL', 'TEST_REDIS_URL');
	}
}
