import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRedisError } from '../../src/limits/redis/describe-redis-error.js';
import { RedisOpenError } from '../../src/limits/redis/connect-redis.js';
import { openRedisLimits } from '../../src/limits/redis/open-redis-limits.js';
import type { RedisServer } from '../support/redis-server.js';
import { freePort } from '../support/health-bot.js';
import { startRedisServer } from '../support/redis-server.js';
import { REDIS_TESTS_RUN } from '../support/redis.js';
import { silentLogger } from '../support/silent-logger.js';

const open = (url: string) => openRedisLimits({ url, processes: 2, logger: silentLogger });

/** The one line a start that cannot use Redis ends with. */
async function refusal(url: string): Promise<string> {
	const error: unknown = await open(url).then(
		(limits) => limits.close(),
		(rejection: unknown) => rejection,
	);
	expect(error).toBeInstanceOf(RedisOpenError);
	return error instanceof Error ? error.message : '';
}

describe('opening Redis limits', () => {
	it('names REDIS_URL when nothing listens there', async () => {
		const port = await freePort();
		expect(await refusal(`redis://:secret@127.0.0.1:${port}`)).toBe(
			`Redis at 127.0.0.1:${port} (REDIS_URL) refused the connection: is the server running and listening there?`,
		);
	});

	it('names REDIS_URL when it is not a Redis URL, without repeating it', async () => {
		for (const url of ['http://user:secret@127.0.0.1:6379', 'secret', '']) {
			const message = await refusal(url);
			expect(message).toMatch(/^REDIS_URL is not a Redis URL: expected redis:\/\//);
			expect(message).not.toContain('secret');
		}
	});

	it('never shows the password in what it does not recognise', () => {
		expect(describeRedisError(new Error('weird failure mentioning hunter2\nmore'), 'redis://:hunter2@cache:6380')).toBe(
			'Redis at cache:6380 (REDIS_URL): weird failure mentioning ***',
		);
	});

	describe.runIf(REDIS_TESTS_RUN)('on a Redis with a password', () => {
		let server: RedisServer;
		beforeAll(async () => {
			server = await startRedisServer(['--requirepass', 'right-secret']);
		});
		afterAll(() => server.stop());

		it('says the login failed, without the password', async () => {
			const message = await refusal(`redis://:wrong-secret@127.0.0.1:${server.port}`);
			expect(message).toBe(
				`Redis at 127.0.0.1:${server.port} (REDIS_URL) rejected the login: authentication failed; check the user and password`,
			);
		});

		it('says a password is wanted when none is given', async () => {
			expect(await refusal(server.url)).toContain('(REDIS_URL) asks for a password');
		});

		it('opens with the right one', async () => {
			const limits = await open(`redis://:right-secret@127.0.0.1:${server.port}`);
			expect(limits.state()).toBe('shared');
			await limits.close();
		});
	});
});
