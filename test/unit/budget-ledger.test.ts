import { createLocalLimits } from '../../src/limits/memory/create-local-limits.js';
import { describe, expect, it } from 'vitest';
import { createBudgetLedger } from '../../src/access/budget-ledger.js';
import type { UsageRecord } from '../../src/store/ports/usage-store.js';

const NOON = Date.UTC(2026, 11, 7, 12);
const scope = { guildId: 'g1', channelId: 'c1', userId: 'alice', kind: 'reply' } as const;
const usage = (total: number) => ({
	promptTokens: total,
	outputTokens: 0,
	thoughtsTokens: undefined,
	totalTokens: total,
});

function ledger(limits: { memberTokens?: number; guildTokens?: number }) {
	const records: UsageRecord[] = [];
	const spent = (userId?: string) =>
		records
			.filter((record) => userId === undefined || record.userId === userId)
			.reduce((sum, record) => sum + (record.usage.totalTokens ?? 0), 0);
	const budgets = createBudgetLedger({
		usage: {
			record: (record) => {
				records.push(record);
				return Promise.resolve();
			},
			tokensSince: (_guildId, _since, userId) => Promise.resolve(spent(userId)),
		},
		limits: { memberTokens: limits.memberTokens, guildTokens: limits.guildTokens },
		reservations: createLocalLimits({ now: () => NOON }).totals,
		now: () => NOON,
	});
	return { budgets, records };
}

describe('budget ledger', () => {
	it('counts a running call as used until it settles, so a second call at the same time is refused', async () => {
		const { budgets, records } = ledger({ memberTokens: 1_000 });
		const first = await budgets.charge(scope)(600);
		expect('settle' in first).toBe(true);
		const second = await budgets.charge(scope)(600);
		expect('refused' in second && second.refused).toMatch(/^Sorry, you have used today's 1,000 tokens/);
		// At the door a new message still gets in (600 of 1,000 counted); its call is what would not fit.
		expect(await budgets.exhausted('g1', 'alice')).toBeUndefined();
		if (!('settle' in first)) throw new Error('reserved');
		await first.settle(usage(300), 'm');
		expect(records).toHaveLength(1);
		// Settled for less than it reserved: the budget has room again.
		expect(await budgets.exhausted('g1', 'alice')).toBeUndefined();
		expect('settle' in (await budgets.charge(scope)(600))).toBe(true);
	});

	it('settles once, and keeps members and the server apart', async () => {
		const { budgets, records } = ledger({ memberTokens: 1_000, guildTokens: 5_000 });
		const alice = await budgets.charge(scope)(2_000);
		if (!('settle' in alice)) throw new Error('reserved');
		expect('settle' in (await budgets.charge({ ...scope, userId: 'bob' })(2_000))).toBe(true);
		const carol = await budgets.charge({ ...scope, userId: 'carol' })(2_000);
		expect('refused' in carol && carol.refused).toMatch(/this server has used today's 5,000 tokens/);
		expect('settle' in (await budgets.charge({ ...scope, userId: 'carol' })(900))).toBe(true);
		await alice.settle(usage(10), 'm');
		await alice.settle(usage(10), 'm');
		expect(records).toHaveLength(1);
	});

	it('reserves nothing and refuses nothing without limits, but still records what calls used', async () => {
		const { budgets, records } = ledger({});
		const charge = await budgets.charge(scope)(1_000_000_000);
		if (!('settle' in charge)) throw new Error('reserved');
		expect(await budgets.exhausted('g1', 'alice')).toBeUndefined();
		await charge.settle(usage(5), 'm');
		expect(records.map((record) => record.usage.totalTokens)).toEqual([5]);
	});
});
