import { describe, expect, it } from 'vitest';
import { createPersonaStore } from '../../src/store/persona-store.js';
import { createSettingsStore } from '../../src/store/settings-store.js';
import { createUsageStore } from '../../src/store/usage-store.js';
import { openTestDatabase } from '../support/test-database.js';

describe('persona store', () => {
	it('stores a persona with who set it and when, and replaces it on the next set', () => {
		let clock = 1_000;
		const personas = createPersonaStore(openTestDatabase(), () => clock);
		expect(personas.set({ scopeId: 'c1', guildId: 'g', prompt: 'Be a pirate.', setBy: 'mod' })).toEqual({
			scopeId: 'c1',
			guildId: 'g',
			prompt: 'Be a pirate.',
			setBy: 'mod',
			setAt: 1_000,
		});
		clock = 2_000;
		personas.set({ scopeId: 'c1', guildId: 'g', prompt: 'Be a poet.', setBy: 'mod2' });
		expect(personas.get('c1')).toMatchObject({ prompt: 'Be a poet.', setBy: 'mod2', setAt: 2_000 });
	});

	it("prefers the thread's own persona over its channel's, and falls back after a clear", () => {
		const personas = createPersonaStore(openTestDatabase());
		personas.set({ scopeId: 'channel', guildId: 'g', prompt: 'channel persona', setBy: 'mod' });
		expect(personas.effective('thread', 'channel')?.prompt).toBe('channel persona');
		personas.set({ scopeId: 'thread', guildId: 'g', prompt: 'thread persona', setBy: 'mod' });
		expect(personas.effective('thread', 'channel')?.prompt).toBe('thread persona');
		expect(personas.clear('thread')).toBe(true);
		expect(personas.clear('thread')).toBe(false);
		expect(personas.effective('thread', 'channel')?.prompt).toBe('channel persona');
		expect(personas.effective('other', 'elsewhere')).toBeUndefined();
	});
});

describe('settings store', () => {
	it('keeps a model per channel until cleared', () => {
		const settings = createSettingsStore(openTestDatabase(), () => 5);
		expect(settings.channelModel('c1')).toBeUndefined();
		settings.setChannelModel({ channelId: 'c1', guildId: 'g', model: 'gemini-2.5-pro', setBy: 'mod' });
		expect(settings.channelModel('c1')).toEqual({ channelId: 'c1', model: 'gemini-2.5-pro', setBy: 'mod', setAt: 5 });
		expect(settings.clearChannelModel('c1')).toBe(true);
		expect(settings.channelModel('c1')).toBeUndefined();
	});

	it('keeps small facts by key', () => {
		const settings = createSettingsStore(openTestDatabase());
		expect(settings.state('commands_hash')).toBeUndefined();
		settings.setState('commands_hash', 'abc');
		settings.setState('commands_hash', 'def');
		expect(settings.state('commands_hash')).toBe('def');
	});
});

describe('usage store', () => {
	const usage = (total: number) => ({
		promptTokens: total - 10,
		outputTokens: 6,
		thoughtsTokens: 4,
		totalTokens: total,
	});

	it('adds up tokens per server, channel and user since a time, largest first', () => {
		let clock = 1_000;
		const store = createUsageStore(openTestDatabase(), () => clock);
		const record = (channelId: string, userId: string, total: number) => {
			store.record({ guildId: 'g', channelId, userId, kind: 'reply', model: 'm', usage: usage(total) });
		};
		record('c1', 'alice', 100);
		clock = 5_000;
		record('c1', 'bob', 50);
		record('c2', 'alice', 300);
		store.record({
			guildId: 'other',
			channelId: 'c9',
			userId: 'alice',
			kind: 'summary',
			model: 'm',
			usage: usage(999),
		});

		const all = store.report('g', 0);
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
		expect(store.report('g', 2_000).total.totalTokens).toBe(350);
	});

	it('adds up cached prompt tokens, and splits the totals per model', () => {
		const store = createUsageStore(openTestDatabase());
		const record = (model: string, total: number, cachedTokens: number | undefined) => {
			store.record({
				guildId: 'g',
				channelId: 'c',
				userId: 'u',
				kind: 'reply',
				model,
				usage: { ...usage(total), cachedTokens },
			});
		};
		record('gemini-2.5-flash', 100, 64);
		record('gemini-2.5-flash', 200, undefined);
		record('gemini-2.5-pro', 500, 128);
		const report = store.report('g', 0);
		expect(report.total.cachedTokens).toBe(192);
		expect(report.byModel.map((row) => [row.id, row.calls, row.totalTokens, row.cachedTokens])).toEqual([
			['gemini-2.5-pro', 1, 500, 128],
			['gemini-2.5-flash', 2, 300, 64],
		]);
	});

	it('skips calls without any token count and reports zero for a quiet server', () => {
		const store = createUsageStore(openTestDatabase());
		store.record({
			guildId: 'g',
			channelId: 'c',
			userId: 'u',
			kind: 'reply',
			model: 'm',
			usage: { promptTokens: undefined, outputTokens: undefined, thoughtsTokens: undefined, totalTokens: undefined },
		});
		expect(store.report('g', 0)).toEqual({
			total: { id: 'g', calls: 0, promptTokens: 0, cachedTokens: 0, outputTokens: 0, totalTokens: 0 },
			byChannel: [],
			byUser: [],
			byModel: [],
			byLocation: [],
		});
	});
});
