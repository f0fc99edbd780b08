import { describe, expect, it } from 'vitest';
import { BACKENDS, useBackend } from './backends.js';

describe.each(BACKENDS)('$name: personas, settings and model settings', (backend) => {
	const h = useBackend(backend);

	it('stores a persona with who set it and when, and replaces it on the next set', async () => {
		let clock = 1_000;
		const { personas } = h.stores(() => clock);
		expect(await personas.set({ scopeId: 'c1', guildId: 'g', prompt: 'Be a pirate.', setBy: 'mod' })).toEqual({
			scopeId: 'c1',
			guildId: 'g',
			prompt: 'Be a pirate.',
			setBy: 'mod',
			setAt: 1_000,
		});
		clock = 2_000;
		await personas.set({ scopeId: 'c1', guildId: 'g', prompt: 'Be a poet.', setBy: 'mod2' });
		expect(await personas.get('c1')).toMatchObject({ prompt: 'Be a poet.', setBy: 'mod2', setAt: 2_000 });
	});

	it("prefers the thread's own persona over its channel's, and falls back after a clear", async () => {
		const { personas } = h.stores();
		await personas.set({ scopeId: 'channel', guildId: 'g', prompt: 'channel persona', setBy: 'mod' });
		expect((await personas.effective('thread', 'channel'))?.prompt).toBe('channel persona');
		await personas.set({ scopeId: 'thread', guildId: 'g', prompt: 'thread persona', setBy: 'mod' });
		expect((await personas.effective('thread', 'channel'))?.prompt).toBe('thread persona');
		expect(await personas.clear('thread')).toBe(true);
		expect(await personas.clear('thread')).toBe(false);
		expect((await personas.effective('thread', 'channel'))?.prompt).toBe('channel persona');
		expect(await personas.effective('other', 'elsewhere')).toBeUndefined();
	});

	it('keeps a model per channel until cleared', async () => {
		const { settings } = h.stores(() => 5);
		expect(await settings.channelModel('c1')).toBeUndefined();
		await settings.setChannelModel({ channelId: 'c1', guildId: 'g', model: 'gemini-2.5-flash', setBy: 'mod' });
		await settings.setChannelModel({ channelId: 'c1', guildId: 'g', model: 'gemini-2.5-pro', setBy: 'mod' });
		expect(await settings.channelModel('c1')).toEqual({
			channelId: 'c1',
			model: 'gemini-2.5-pro',
			setBy: 'mod',
			setAt: 5,
		});
		expect(await settings.clearChannelModel('c1')).toBe(true);
		expect(await settings.clearChannelModel('c1')).toBe(false);
		expect(await settings.channelModel('c1')).toBeUndefined();
	});

	it('keeps small facts by key', async () => {
		const { settings } = h.stores();
		expect(await settings.state('commands_hash')).toBeUndefined();
		await settings.setState('commands_hash', 'abc');
		await settings.setState('commands_hash', 'def');
		expect(await settings.state('commands_hash')).toBe('def');
	});

	it('merges each /settings set into the stored values and reads them back typed', async () => {
		let clock = 5;
		const { modelSettings } = h.stores(() => clock);
		expect(await modelSettings.get('c1')).toBeUndefined();
		await modelSettings.set({
			scopeId: 'c1',
			guildId: 'g1',
			setBy: 'mod',
			values: { search: true, temperature: 0.5, thinking: 'off', enabled: false, role: 'role-1' },
		});
		clock = 9;
		const merged = await modelSettings.set({
			scopeId: 'c1',
			guildId: 'g1',
			setBy: 'mod2',
			values: { code: false, maxOutputTokens: 800, thinking: 1_024 },
		});
		expect(merged).toEqual({
			scopeId: 'c1',
			setBy: 'mod2',
			setAt: 9,
			search: true,
			urls: undefined,
			code: false,
			footer: undefined,
			temperature: 0.5,
			maxOutputTokens: 800,
			thinking: 1_024,
			enabled: false,
			role: 'role-1',
		});
		expect(await modelSettings.get('c1')).toEqual(merged);
		await modelSettings.set({
			scopeId: 'c1',
			guildId: 'g1',
			setBy: 'mod',
			values: { thinking: 'auto', temperature: 0 },
		});
		expect(await modelSettings.get('c1')).toMatchObject({ thinking: 'auto', temperature: 0, search: true });
	});

	it('clears a scope so that it inherits again', async () => {
		const { modelSettings } = h.stores();
		await modelSettings.set({ scopeId: 't1', guildId: 'g1', setBy: 'mod', values: { footer: true } });
		expect(await modelSettings.clear('t1')).toBe(true);
		expect(await modelSettings.get('t1')).toBeUndefined();
		expect(await modelSettings.clear('t1')).toBe(false);
	});

	it('refuses a setting outside its range, as the schema says', async () => {
		const { modelSettings } = h.stores();
		await expect(
			modelSettings.set({ scopeId: 't1', guildId: 'g1', setBy: 'mod', values: { temperature: 3 } }),
		).rejects.toThrow(/check/i);
	});
});
