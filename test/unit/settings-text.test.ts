import { describe, expect, it } from 'vitest';
import { effectiveSettings } from '../../src/settings/model-settings.js';
import { changedText, settingsText, thinkingWarning } from '../../src/settings/settings-text.js';

const inThread = { model: 'gemini-2.5-flash', inThread: true, channelId: 'c1' };
const inChannel = { ...inThread, inThread: false };

describe('settingsText', () => {
	it('shows every setting in a thread with its value and where it comes from', () => {
		const settings = effectiveSettings(
			{ footer: false, maxOutputTokens: 8_192 },
			{ search: true, temperature: 0.7, thinking: 'auto' },
			{ code: false, maxOutputTokens: 2_048, role: 'r9' },
		);
		expect(settingsText('this thread', settings, inThread)).toBe(
			[
				'**Model settings for this thread** (model `gemini-2.5-flash`)',
				'- Google Search grounding (`search`): on (from <#c1>)',
				'- Reading posted links (`urls`): off (default)',
				'- Code execution (`code`): off (set for this thread)',
				'- Usage line under replies (`footer`): off (default)',
				'- Temperature (`temperature`): 0.7 (from <#c1>)',
				'- Longest answer in tokens, thinking included (`max_output_tokens`): 2,048 (set for this thread)',
				'- Thinking (`thinking`): auto (the model decides) (from <#c1>)',
				'- Answering members here (`enabled`): on (default)',
				'- Who may start a conversation (`role`): members with <@&r9> (set for this thread)',
				'-# `/settings set` here overrides the channel for this thread only; `/settings reset` drops those overrides.',
			].join('\n'),
		);
	});

	it("shows a channel's own values as set here, and the model's default thinking", () => {
		const text = settingsText(
			'#general',
			effectiveSettings({ footer: true, maxOutputTokens: 8_192 }, { urls: true }, undefined),
			inChannel,
		);
		expect(text).toContain('- Reading posted links (`urls`): on (set here)');
		expect(text).toContain('- Usage line under replies (`footer`): on (default)');
		expect(text).toContain("- Thinking (`thinking`): the model's default (default)");
		expect(text.split('\n').at(-1)).toBe(
			'-# `/settings set` here applies to this channel and its threads; `/settings reset` goes back to the defaults.',
		);
	});

	it('warns when the model takes the thinking setting differently', () => {
		const settings = effectiveSettings({ footer: false, maxOutputTokens: 8_192 }, { thinking: 'off' }, undefined);
		expect(settingsText('#general', settings, { ...inChannel, model: 'gemini-2.5-pro' })).toContain(
			'\n-# `gemini-2.5-pro` cannot think less than 128 tokens; it uses 128.\n',
		);
		expect(settingsText('#general', settings, inChannel)).not.toContain('cannot think');
	});
});

describe('changedText', () => {
	it('lists only the changed values, one line each in the usual order', () => {
		expect(changedText({ thinking: 1_024, search: false, temperature: 1 })).toBe(
			[
				'- Google Search grounding (`search`): off',
				'- Temperature (`temperature`): 1',
				'- Thinking (`thinking`): up to 1,024 tokens',
			].join('\n'),
		);
		expect(changedText({ thinking: 'off' })).toBe('- Thinking (`thinking`): off');
	});
});

describe('thinkingWarning', () => {
	it('says nothing when thinking is not set or the model takes it as set', () => {
		expect(thinkingWarning('gemini-2.0-flash', undefined)).toBeUndefined();
		expect(thinkingWarning('gemini-2.5-flash', 'off')).toBeUndefined();
		expect(thinkingWarning('gemini-2.5-pro', 128)).toBeUndefined();
		expect(thinkingWarning('gemini-2.5-pro', 'auto')).toBeUndefined();
	});

	it('warns that models before 2.5 ignore thinking', () => {
		expect(thinkingWarning('gemini-2.0-flash', 'auto')).toBe(
			'`thinking` applies to Gemini 2.5 models; `gemini-2.0-flash` ignores it.',
		);
	});

	it('warns that Pro thinks at least 128 tokens', () => {
		const warning = '`gemini-2.5-pro` cannot think less than 128 tokens; it uses 128.';
		expect(thinkingWarning('gemini-2.5-pro', 'off')).toBe(warning);
		expect(thinkingWarning('gemini-2.5-pro', 127)).toBe(warning);
	});
});
