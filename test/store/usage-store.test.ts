import { describe, expect, it } from 'vitest';
import { BACKENDS, useBackend } from './backends.js';

const usage = (total: number) => ({ promptTokens: total - 10, outputTokens: 6, thoughtsTokens: 4, totalTokens: total });

describe.each(BACKENDS)('$name: usage ledger', (backend) => {
	const h = useBackend(backend);

	it('adds up tokens per server, channel and user since a time, largest first', async () => {
		let clock = 1_000;
		const store = h.stores(() => clock).usage;
		const record = (channelId: string, userId: string, total: number) =>
			store.record({ guildId: 'g', channelId, userId, kind: 'reply', model: 'm', usage: usage(total) });
		await record('c1', 'alice', 100);
		clock = 5_000;
		await record('c1', 'bob', 50);
		await record('c2', 'alice', 300);
		await store.record({
			guildId: 'other',
			channelId: 'c9',
			userId: 'alice',
			kind: 'summary',
			model: 'm',
			usage: usage(999),
		});

		const all = await store.report('g', 0);
		expect(all.total).toEqual({
			id: 'g',
			calls: 3,
			promptTokens: 420,
			cachedTokens: 0,
			outputTokens: 30,
			totalTokens: 450,
		});
		expect(all.byChannel.map((row) => [row.id, row.totalTokens])).toEqual([
			['c2', 300],
			['c1', 150],
		]);
		expect(all.byUser.map((row) => [row.id, row.totalTokens, row.calls])).toEqual([
			['alice', 400, 2],
			['bob', 50, 1],
		]);
		expect((await store.report('g', 2_000)).total.totalTokens).toBe(350);
		expect((await store.report('g', 0, ['c1'])).byUser.map((row) => [row.id, row.totalTokens])).toEqual([
			['alice', 100],
			['bob', 50],
		]);
		expect((await store.report('g', 0, [])).total.calls).toBe(0);
		expect(await store.tokensSince('g', 0)).toBe(450);
		expect(await store.tokensSince('g', 2_000, 'alice')).toBe(300);
		expect(await store.tokensSince('nobody', 0)).toBe(0);
	});

	it('adds up cached prompt tokens, and splits the totals per model and location', async () => {
		const store = h.stores().usage;
		const record = (model: string, total: number, cachedTokens: number | undefined, location?: string) =>
			store.record({
				guildId: 'g',
				channelId: 'c',
				userId: 'u',
				kind: 'reply',
				model,
				location,
				usage: { ...usage(total), cachedTokens },
			});
		await record('gemini-2.5-flash', 100, 64, 'europe-west1');
		await record('gemini-2.5-flash', 200, undefined);
		await record('gemini-2.5-pro', 500, 128, 'us-central1');
		const report = await store.report('g', 0);
		expect(report.total.cachedTokens).toBe(192);
		expect(report.byModel.map((row) => [row.id, row.calls, row.totalTokens, row.cachedTokens])).toEqual([
			['gemini-2.5-pro', 1, 500, 128],
			['gemini-2.5-flash', 2, 300, 64],
		]);
		expect(report.byLocation.map((row) => [row.id, row.totalTokens])).toEqual([
			['us-central1', 500],
			['europe-west1', 100],
		]);
		for (const total of [report.total, ...report.byModel]) {
			for (const value of Object.values(total)) expect(['number', 'string']).toContain(typeof value);
			expect(typeof total.calls).toBe('number');
			expect(typeof total.totalTokens).toBe('number');
		}
	});

	it('skips calls without any token count and reports zero for a quiet server', async () => {
		const store = h.stores().usage;
		await store.record({
			guildId: 'g',
			channelId: 'c',
			userId: 'u',
			kind: 'reply',
			model: 'm',
			usage: { promptTokens: undefined, outputTokens: undefined, thoughtsTokens: undefined, totalTokens: undefined },
		});
		expect(await store.report('g', 0)).toEqual({
			total: { id: 'g', calls: 0, promptTokens: 0, cachedTokens: 0, outputTokens: 0, totalTokens: 0 },
			byChannel: [],
			byUser: [],
			byModel: [],
			byLocation: [],
		});
		expect(await h.count('usage_records')).toBe(0);
	});
});
