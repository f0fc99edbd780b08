import { afterEach } from 'vitest';
import { startWithHealth } from './health-bot.js';
import { createTestSchema, schemaUrl, TEST_DATABASE_URL } from './postgres.js';
import { startTestBot } from './start-test-bot.js';
import type { TestBot } from './start-test-bot.js';
import type { TcpProxy } from './tcp-proxy.js';
import { startTcpProxy } from './tcp-proxy.js';

export type BotBehindProxy = { t: TestBot; proxy: TcpProxy; health: () => Promise<{ status: number }> };

/**
 * For a test file: starts the bot on PostgreSQL (a schema of its own) through a proxy the test can cut, as if the
 * server went away and came back, or slow down at random; everything is closed after each test.
 */
export function useBotBehindProxy(): (options?: {
	readonly jitterMs?: number;
	readonly env?: Record<string, string>;
}) => Promise<BotBehindProxy> {
	const cleanups: (() => Promise<void>)[] = [];
	afterEach(async () => {
		for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
	});
	return async (options = {}) => {
		const schema = await createTestSchema();
		cleanups.push(() => schema.drop());
		const direct = new URL(TEST_DATABASE_URL);
		const proxy = await startTcpProxy(
			{ host: direct.hostname, port: Number(direct.port || 5432) },
			options.jitterMs === undefined ? {} : { jitterMs: options.jitterMs },
		);
		cleanups.push(() => proxy.close());
		const proxied = new URL(TEST_DATABASE_URL);
		proxied.hostname = '127.0.0.1';
		proxied.port = String(proxy.port);
		const started = await startWithHealth(
			async (env) => {
				const databaseUrl = schemaUrl(schema.name, proxied.toString());
				const t = await startTestBot({ ...env, ...options.env, DATABASE_URL: databaseUrl }, undefined, {
					backend: 'sqlite',
				});
				cleanups.push(() => t.close());
				return t;
			},
			{ CATCH_UP_WINDOW: '1h' },
		);
		return { t: started.t, proxy, health: started.health };
	};
}
