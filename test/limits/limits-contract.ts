import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LaneLimits, SharedLimits } from '../../src/concurrency/shared-limits.js';

/** Limits under test, and how time passes for them. */
export type ContractSubject = {
	/** New limits (on keys of their own), whose lanes' window is `laneWindowMs`. */
	open(laneWindowMs: number): Promise<SharedLimits>;
	/** Lets `ms` pass: on a fake clock, or for real. */
	advance(ms: number): Promise<void>;
	now(): number;
	readonly state: ReturnType<SharedLimits['state']>;
};

const WINDOW_MS = 1_000;
const REQUESTS = { requestsPerMinute: 3, tokensPerMinute: undefined };
const TOKENS = { requestsPerMinute: 100, tokensPerMinute: 100 };

/** What every SharedLimits does, whether in memory or in Redis for one process. */
export function describeLimitsContract(name: string, subject: ContractSubject, run = true): void {
	describe.runIf(run)(`${name}: the shared limits contract`, () => {
		let limits: SharedLimits;
		beforeEach(async () => {
			limits = await subject.open(WINDOW_MS);
		});
		afterEach(() => limits.close());
		const admit = (lane: string, tokens: number, limitsOf: LaneLimits = TOKENS, claim = {}) =>
			limits.lanes.admit(claim, lane, tokens, limitsOf);

		it('admits a lane its requests per window, then says when its oldest call leaves the window', async () => {
			for (let call = 0; call < 3; call += 1) expect(await admit('a', 1, REQUESTS)).toBe(0);
			const claim = {};
			const wait = await admit('a', 1, REQUESTS, claim);
			expect(wait).toBeGreaterThan(0);
			expect(wait).toBeLessThanOrEqual(WINDOW_MS);
			expect(await admit('b', 1, REQUESTS)).toBe(0);
			await subject.advance(wait);
			expect(await admit('a', 1, REQUESTS, claim)).toBe(0);
		});

		it('admits calls while their tokens fit the window, and a larger one alone in an empty window', async () => {
			expect(await admit('a', 60)).toBe(0);
			expect(await admit('a', 50)).toBeGreaterThan(0);
			expect(await admit('a', 40)).toBe(0);
			expect(await admit('big', 150)).toBe(0);
			expect(await admit('big', 1)).toBeGreaterThan(0);
			expect(await admit('c', 1)).toBe(0);
			expect(await admit('c', 150)).toBeGreaterThan(0);
		});

		it('counts charged tokens in the window', async () => {
			expect(await admit('a', 50)).toBe(0);
			await limits.lanes.charge('a', 40, TOKENS);
			expect(await admit('a', 20)).toBeGreaterThan(0);
			expect(await admit('a', 10)).toBe(0);
		});

		it('holds a lane off until its hold ends, the later of two holds winning', async () => {
			const until = subject.now() + 300;
			await limits.lanes.holdOff('a', { until, reason: 'rate-limited' });
			await limits.lanes.holdOff('a', { until: until - 200, reason: 'unavailable' });
			expect([...(await limits.lanes.holds(['a', 'b']))]).toEqual([['a', { until, reason: 'rate-limited' }]]);
			await limits.lanes.holdOff('a', { until: until + 200, reason: 'quota-exhausted' });
			expect((await limits.lanes.holds(['a'])).get('a')).toEqual({ until: until + 200, reason: 'quota-exhausted' });
			const wait = await admit('a', 1);
			expect(wait).toBeGreaterThan(300);
			expect(wait).toBeLessThanOrEqual(500);
			await subject.advance(wait);
			expect(await limits.lanes.holds(['a'])).toEqual(new Map());
			expect(await admit('a', 1)).toBe(0);
		});

		it('takes places on a counter up to its max, and never more after extra give-backs', async () => {
			expect(await limits.counters.take('m', 2)).toBe(true);
			expect(await limits.counters.take('m', 2)).toBe(true);
			expect(await limits.counters.take('m', 2)).toBe(false);
			expect(await limits.counters.take('n', 2)).toBe(true);
			await limits.counters.give('m');
			expect(await limits.counters.take('m', 2)).toBe(true);
			for (let giving = 0; giving < 4; giving += 1) await limits.counters.give('m');
			expect([await limits.counters.take('m', 2), await limits.counters.take('m', 2)]).toEqual([true, true]);
			expect(await limits.counters.take('m', 2)).toBe(false);
		});

		it('keeps running totals that go after their time without a change', async () => {
			expect(await limits.totals.add('t', 10, 300)).toBe(10);
			expect(await limits.totals.add('t', 5, 300)).toBe(15);
			expect(await limits.totals.add('t', -10, 300)).toBe(5);
			expect([await limits.totals.get('t'), await limits.totals.get('u')]).toEqual([5, 0]);
			await subject.advance(320);
			expect(await limits.totals.get('t')).toBe(0);
		});

		it('says first once per key within its time', async () => {
			expect(await limits.once.first('k', 300)).toBe(true);
			expect(await limits.once.first('k', 300)).toBe(false);
			expect(await limits.once.first('l', 300)).toBe(true);
			await subject.advance(320);
			expect(await limits.once.first('k', 300)).toBe(true);
		});

		it('grants a per-second budget, then says how long until the next', async () => {
			for (let take = 0; take < 3; take += 1) expect(await limits.rate.take('r', 3)).toBe(0);
			const wait = await limits.rate.take('r', 3);
			expect(wait).toBeGreaterThan(0);
			expect(wait).toBeLessThanOrEqual(1_050);
			await subject.advance(wait);
			expect(await limits.rate.take('r', 3)).toBe(0);
		});

		it(`is ${subject.state}`, () => {
			expect(limits.state()).toBe(subject.state);
		});
	});
}
