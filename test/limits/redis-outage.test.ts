import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SharedLimits } from '../../src/concurrency/shared-limits.js';
import { openRedisLimits } from '../../src/limits/redis/open-redis-limits.js';
import { logLines } from '../support/log-lines.js';
import type { RedisServer } from '../support/redis-server.js';
import { startRedisServer } from '../support/redis-server.js';
import { REDIS_TESTS_RUN, testKeyPrefix } from '../support/redis.js';

const AWAY = 'Redis unreachable: each process keeps 1/P of every limit until it is back';
const BACK = 'Redis is back: the limits are shared again';
const LANE = { requestsPerMinute: 10, tokensPerMinute: undefined };

describe.runIf(REDIS_TESTS_RUN)('Redis going away and coming back', () => {
	let server: RedisServer;
	const logs = [logLines(), logLines()] as const;
	let one: SharedLimits;
	let two: SharedLimits;
	const both = (): SharedLimits[] => [one, two];
	const said = (message: string) => logs.map(({ lines }) => lines.filter((line) => line['msg'] === message).length);
	beforeAll(async () => {
		server = await startRedisServer();
		const keyPrefix = testKeyPrefix('outage');
		const open = ({ logger }: (typeof logs)[number]) =>
			openRedisLimits({ url: server.url, processes: 2, keyPrefix, logger });
		[one, two] = await Promise.all([open(logs[0]), open(logs[1])]);
	});
	afterAll(async () => {
		await Promise.all(both().map((limits) => limits.close()));
		await server.stop();
	});

	it('keeps each process within its share of every limit while Redis is away, saying so once', async () => {
		await server.stop();
		await vi.waitFor(() => {
			expect(both().map((limits) => limits.state())).toEqual(['degraded', 'degraded']);
		});
		const started = Date.now();
		for (const limits of both()) {
			for (let call = 0; call < 5; call += 1) expect(await limits.lanes.admit({}, 'lane', 1, LANE)).toBe(0);
			expect(await limits.lanes.admit({}, 'lane', 1, LANE)).toBeGreaterThan(0);
			expect([await limits.counters.take('m', 4), await limits.counters.take('m', 4)]).toEqual([true, true]);
			expect(await limits.counters.take('m', 4)).toBe(false);
			const rates = [];
			for (let take = 0; take < 6; take += 1) rates.push(await limits.rate.take('r', 10));
			expect(rates.filter((wait) => wait === 0)).toHaveLength(5);
			expect(await limits.once.first('told', 60_000)).toBe(true);
		}
		expect(await one.totals.add('t', 10, 60_000)).toBe(20);
		// Nothing waits for Redis meanwhile.
		expect(Date.now() - started).toBeLessThan(1_000);
		expect(said(AWAY)).toEqual([1, 1]);
	});

	it('shares every limit again once Redis is back, with what was counted meanwhile', async () => {
		await server.start();
		await vi.waitFor(
			() => {
				expect(both().map((limits) => limits.state())).toEqual(['shared', 'shared']);
			},
			{
				timeout: 5_000,
			},
		);
		expect(said(BACK)).toEqual([1, 1]);
		expect(said(AWAY)).toEqual([1, 1]);
		await vi.waitFor(async () => {
			expect(await two.totals.get('t')).toBe(10);
		});
		expect(await one.counters.take('m', 4)).toBe(false);
		await one.counters.give('m');
		expect(await two.counters.take('m', 4)).toBe(true);
		expect(await two.counters.take('m', 4)).toBe(false);
		expect(await two.once.first('told', 60_000)).toBe(false);
		// Redis never saw the calls made while it was away: for a window, each process still keeps its share.
		expect(await one.lanes.admit({}, 'lane', 1, LANE)).toBeGreaterThan(0);
		expect(await one.lanes.admit({}, 'other lane', 1, LANE)).toBe(0);
	});

	it('falls back on a Redis that stops answering without closing the connection, and comes back on its own', async () => {
		const other = new Redis(server.url);
		await other.call('CLIENT', 'PAUSE', '3000', 'ALL');
		// The first command waits out its timeout; from then on nothing waits for Redis.
		expect(await one.counters.take('paused', 4)).toBe(true);
		expect(one.state()).toBe('degraded');
		const started = Date.now();
		expect(await one.counters.take('paused', 4)).toBe(true);
		expect(await one.counters.take('paused', 4)).toBe(false);
		expect(Date.now() - started).toBeLessThan(1_000);
		await vi.waitFor(
			() => {
				expect(one.state()).toBe('shared');
			},
			{ timeout: 5_000, interval: 100 },
		);
		expect(said(AWAY)).toEqual([2, 1]);
		expect(said(BACK)).toEqual([2, 1]);
		other.disconnect();
	});
});
