import { describe, expect, it } from 'vitest';
import { effectiveSettings, replyOptions, summaryOptions } from '../../src/settings/model-settings.js';
import type { RawSettingValues } from '../../src/settings/parse-setting-values.js';
import { parseSettingValues } from '../../src/settings/parse-setting-values.js';
import { UserFacingError } from '../../src/domain/user-facing-error.js';

const NOTHING: RawSettingValues = {
	search: null,
	urls: null,
	code: null,
	footer: null,
	temperature: null,
	maxOutputTokens: null,
	thinking: null,
	enabled: null,
	role: null,
};
const parse = (raw: Partial<RawSettingValues>) => parseSettingValues({ ...NOTHING, ...raw });
/** The UserFacingError `parse` throws, so that a test can read its message. */
const refusal = (raw: Partial<RawSettingValues>): UserFacingError => {
	try {
		parse(raw);
	} catch (error) {
		if (error instanceof UserFacingError) return error;
		throw error;
	}
	throw new Error(`${JSON.stringify(raw)} was accepted`);
};

describe('parseSettingValues', () => {
	it('keeps only the settings a member named, switches included when off', () => {
		expect(parse({ search: false, code: true, footer: true })).toEqual({ search: false, code: true, footer: true });
		expect(parse({ urls: true })).toEqual({ urls: true });
	});

	it('accepts temperatures from 0 to 2 and refuses others with the range', () => {
		expect(parse({ temperature: 0 })).toEqual({ temperature: 0 });
		expect(parse({ temperature: 2 })).toEqual({ temperature: 2 });
		expect(refusal({ temperature: 2.5 }).message).toBe('`temperature` must be between 0 and 2; you gave 2.5.');
		expect(refusal({ temperature: -0.1 }).message).toContain('between 0 and 2');
		expect(refusal({ temperature: Number.NaN }).message).toContain('between 0 and 2');
	});

	it('accepts whole output lengths from 1 to 65,536 and refuses others with the range', () => {
		expect(parse({ maxOutputTokens: 1 })).toEqual({ maxOutputTokens: 1 });
		expect(parse({ maxOutputTokens: 65_536 })).toEqual({ maxOutputTokens: 65_536 });
		expect(refusal({ maxOutputTokens: 0 }).message).toBe(
			'`max_output_tokens` must be a whole number from 1 to 65,536; you gave 0.',
		);
		expect(refusal({ maxOutputTokens: 65_537 }).message).toContain('from 1 to 65,536');
		expect(refusal({ maxOutputTokens: 100.5 }).message).toContain('whole number');
	});

	it('reads thinking as off, auto or a budget up to 32,768, where 0 means off', () => {
		expect(parse({ thinking: ' AUTO ' })).toEqual({ thinking: 'auto' });
		expect(parse({ thinking: 'Off' })).toEqual({ thinking: 'off' });
		expect(parse({ thinking: '0' })).toEqual({ thinking: 'off' });
		expect(parse({ thinking: '2048' })).toEqual({ thinking: 2_048 });
		expect(parse({ thinking: '32768' })).toEqual({ thinking: 32_768 });
	});

	it('refuses other thinking values with the allowed ones', () => {
		for (const thinking of ['32769', '-1', '1.5', 'lots', '']) {
			expect(refusal({ thinking }).message).toContain(
				'`thinking` must be `off`, `auto` or a token budget from 0 to 32,768',
			);
		}
		expect(refusal({ thinking: 'lots' }).message).toContain('you gave `lots`');
	});

	it('refuses a change that names no setting', () => {
		expect(refusal({}).message).toContain('Name at least one setting');
	});

	it('refuses the whole change when one of its values is bad', () => {
		expect(refusal({ search: true, temperature: 9 })).toBeInstanceOf(UserFacingError);
	});
});

describe('effectiveSettings', () => {
	it("takes a thread's value over its channel's, and the channel's over the default, setting by setting", () => {
		const settings = effectiveSettings(
			{ footer: false, maxOutputTokens: 8_192 },
			{ search: true, temperature: 0.5, footer: true, thinking: 'auto' },
			{ temperature: 1.5, code: true, thinking: 'off' },
		);
		expect(settings.values).toEqual({
			footer: true,
			maxOutputTokens: 8_192,
			search: true,
			code: true,
			temperature: 1.5,
			thinking: 'off',
		});
		expect(settings.from).toEqual({
			search: 'channel',
			footer: 'channel',
			code: 'thread',
			temperature: 'thread',
			thinking: 'thread',
		});
	});

	it("uses the bot's footer and answer-length defaults and names no origin when nothing is set", () => {
		const defaults = { footer: true, maxOutputTokens: 8_192 };
		expect(effectiveSettings(defaults, undefined, undefined)).toEqual({
			values: { footer: true, maxOutputTokens: 8_192 },
			from: {},
		});
		expect(effectiveSettings(defaults, { footer: false }, {}).values.footer).toBe(false);
		expect(effectiveSettings(defaults, { maxOutputTokens: 500 }, {}).values.maxOutputTokens).toBe(500);
	});
});

describe('replyOptions and summaryOptions', () => {
	it('turns settings into the options of a reply', () => {
		expect(
			replyOptions({
				search: true,
				urls: false,
				code: true,
				footer: true,
				temperature: 0,
				maxOutputTokens: 800,
				thinking: 4_096,
			}),
		).toEqual({ search: true, code: true, temperature: 0, maxOutputTokens: 800, thinkingBudget: 4_096 });
		expect(replyOptions({})).toEqual({});
	});

	it('sends thinking off as a zero budget and auto as -1', () => {
		expect(replyOptions({ thinking: 'off' })).toEqual({ thinkingBudget: 0 });
		expect(replyOptions({ thinking: 'auto' })).toEqual({ thinkingBudget: -1 });
	});

	it('carries only thinking into summaries', () => {
		const values = { search: true, urls: true, code: true, temperature: 2, maxOutputTokens: 10 } as const;
		expect(summaryOptions({ ...values, thinking: 'auto' })).toEqual({ thinkingBudget: -1 });
		expect(summaryOptions(values)).toEqual({});
	});
});
