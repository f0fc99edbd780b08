import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LaneLimits, SharedLimits } from '../../src/concurrency/shared-limits.js';
import { openRedisLimits } from '../../src/limits/redis/open-redis-limits.js';
import { REDIS_TESTS_RUN, TEST_REDIS_URL, testKeyPrefix } from '../support/redis.js';
import { silentLogger } from '../support/silent-logger.js';

const WINDOW_MS = 1_000;
const RUN_MS = 3_000;
// Start times are taken when admit returns, a few ms after Redis counted the call.
const MEASURE_SLACK_MS = 25;

/** Callers on both processes that start a call, each as soon as a lane admits it, for RUN_MS. */
async function startCalls(processes: SharedLimits[], lanes: string[], limits: LaneLimits) {
	const starts = new Map(lanes.map((lane) => [lane, [] as number[]]));
	const end = Date.now() + RUN_MS;
	const caller = async (shared: SharedLimits): Promise<void> => {
		while (Date.now() < end) {
			const claim = {};
			for (;;) {
				const waits = [];
				for (const lane of lanes) {
					const wait = await shared.lanes.admit(claim, lane, 1, limits);
					if (wait === 0) {
						starts.get(lane)?.push(Date.now());
						break;
					}
					waits.push(wait);
				}
				if (waits.length < lanes.length) break;
				if (Date.now() + Math.min(...waits) >= end) return;
				await sleep(Math.min(...waits));
			}
		}
	};
	await Promise.all(processes.flatMap((shared) => [caller(shared), caller(shared), caller(shared)]));
	return starts;
}

/** The most calls that started within any one window. */
function mostInAnyWindow(starts: readonly number[]): number {
	return Math.max(
		...starts.map((at) => starts.filter((other) => other >= at && other < at + WINDOW_MS - MEASURE_SLACK_MS).length),
	);
}

describe.runIf(REDIS_TESTS_RUN)('Redis limits shared by two processes', () => {
	let one: SharedLimits;
	let two: SharedLimits;
	beforeEach(async () => {
		const keyPrefix = testKeyPrefix('processes');
		const open = () =>
			openRedisLimits({ url: TEST_REDIS_URL, processes: 2, keyPrefix, logger: silentLogger, laneWindowMs: WINDOW_MS });
		[one, two] = await Promise.all([open(), open()]);
	});
	afterEach(() => Promise.all([one.close(), two.close()]));

	it('never starts more than requestsPerMinute calls in any window, and starts that many in each', async () => {
		const starts = await startCalls([one, two], ['lane'], { requestsPerMinute: 4, tokensPerMinute: undefined });
		const lane = starts.get('lane') ?? [];
		expect(mostInAnyWindow(lane)).toBe(4);
		expect(lane.length).toBeGreaterThanOrEqual(4 * (RUN_MS / WINDOW_MS));
	});

	it('fills two lanes that every call tries in turn, each within its limit', async () => {
		const starts = await startCalls([one, two], ['x', 'y'], { requestsPerMinute: 3, tokensPerMinute: undefined });
		for (const lane of ['x', 'y']) {
			expect(mostInAnyWindow(starts.get(lane) ?? [])).toBe(3);
			expect(starts.get(lane)?.length).toBeGreaterThanOrEqual(3 * (RUN_MS / WINDOW_MS));
		}
	});

	it('counts both processes’ tokens in one window', async () => {
		const limits = { requestsPerMinute: 100, tokensPerMinute: 100 };
		expect(await one.lanes.admit({}, 'lane', 60, limits)).toBe(0);
		expect(await two.lanes.admit({}, 'lane', 50, limits)).toBeGreaterThan(0);
		expect(await two.lanes.admit({}, 'lane', 40, limits)).toBe(0);
		expect(await one.lanes.admit({}, 'lane', 1, limits)).toBeGreaterThan(0);
	});

	it('shows a hold-off set by one process to the other', async () => {
		const hold = { until: Date.now() + 5_000, reason: 'rate-limited' } as const;
		await one.lanes.holdOff('lane', hold);
		expect((await two.lanes.holds(['lane'])).get('lane')).toEqual(hold);
		expect(await two.lanes.admit({}, 'lane', 1, { requestsPerMinute: 10, tokensPerMinute: undefined })).toBeGreaterThan(
			4_000,
		);
	});

	it('keeps counters, totals, "once" and rates over both processes', async () => {
		const takes = await Promise.all([one, two, one, two, one, two].map((shared) => shared.counters.take('m', 3)));
		expect(takes.filter(Boolean)).toHaveLength(3);
		await one.counters.give('m');
		expect(await two.counters.take('m', 3)).toBe(true);
		expect(await one.counters.take('m', 3)).toBe(false);

		expect([await one.totals.add('t', 10, 60_000), await two.totals.add('t', 5, 60_000)]).toEqual([10, 15]);
		expect(await one.totals.get('t')).toBe(15);

		const firsts = await Promise.all([one, two, one, two].map((shared) => shared.once.first('k', 60_000)));
		expect(firsts.filter(Boolean)).toHaveLength(1);

		const waits = await Promise.all([one, two, one, two, one, two].map((shared) => shared.rate.take('r', 4)));
		expect(waits.filter((wait) => wait === 0)).toHaveLength(4);
	});
});
