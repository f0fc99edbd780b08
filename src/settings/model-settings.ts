import type { SettingName, SettingValues, Thinking } from '../domain/setting-values.js';
import type { GenerationOptions } from '../llm/chat-model.js';

/** The bot's own values where neither a channel nor its thread set one: SHOW_USAGE and MAX_OUTPUT_TOKENS. */
export type SettingDefaults = { readonly footer: boolean; readonly maxOutputTokens: number };

/** The settings in effect in a thread, with where each one comes from. */
export type EffectiveSettings = {
	readonly values: SettingValues & { readonly footer: boolean; readonly maxOutputTokens: number };
	readonly from: Partial<Record<SettingName, 'thread' | 'channel'>>;
};

export const SETTING_NAMES: readonly SettingName[] = [
	'search',
	'urls',
	'code',
	'footer',
	'temperature',
	'maxOutputTokens',
	'thinking',
	'enabled',
	'role',
];

/** A thread's own value for each setting wins over its channel's, which wins over the bot's defaults. */
export function effectiveSettings(
	defaults: SettingDefaults,
	channel: SettingValues | undefined,
	thread: SettingValues | undefined,
): EffectiveSettings {
	const values: Record<string, unknown> = { footer: defaults.footer, maxOutputTokens: defaults.maxOutputTokens };
	const from: Partial<Record<SettingName, 'thread' | 'channel'>> = {};
	for (const name of SETTING_NAMES) {
		const own = thread?.[name];
		const inherited = channel?.[name];
		if (own !== undefined) {
			values[name] = own;
			from[name] = 'thread';
		} else if (inherited !== undefined) {
			values[name] = inherited;
			from[name] = 'channel';
		}
	}
	return { values: values as EffectiveSettings['values'], from };
}

/** The model call options for a reply: tools, temperature, output length and thinking. */
export function replyOptions(values: SettingValues): GenerationOptions {
	return {
		...(values.search === true ? { search: true } : {}),
		...(values.urls === true ? { urls: true } : {}),
		...(values.code === true ? { code: true } : {}),
		...(values.temperature === undefined ? {} : { temperature: values.temperature }),
		...(values.maxOutputTokens === undefined ? {} : { maxOutputTokens: values.maxOutputTokens }),
		...thinkingOption(values.thinking),
	};
}

/**
 * For summaries (a thread's memory, /summarize): only thinking applies. Tools would fetch what is not in the
 * conversation, a member's temperature or length limit is for answers, and a footer has nowhere to go.
 */
export function summaryOptions(values: SettingValues): GenerationOptions {
	return thinkingOption(values.thinking);
}

function thinkingOption(thinking: Thinking | undefined): { thinkingBudget?: number } {
	if (thinking === undefined) return {};
	return { thinkingBudget: thinking === 'off' ? 0 : thinking === 'auto' ? -1 : thinking };
}
