import type { SettingName, SettingValues, Thinking } from '../domain/setting-values.js';
import { EVERYONE } from '../domain/setting-values.js';
import type { EffectiveSettings } from './model-settings.js';
import { SETTING_NAMES } from './model-settings.js';

const LABELS: Record<SettingName, string> = {
	search: 'Google Search grounding (`search`)',
	urls: 'Reading posted links (`urls`)',
	code: 'Code execution (`code`)',
	footer: 'Usage line under replies (`footer`)',
	temperature: 'Temperature (`temperature`)',
	maxOutputTokens: 'Longest answer in tokens, thinking included (`max_output_tokens`)',
	thinking: 'Thinking (`thinking`)',
	enabled: 'Answering members here (`enabled`)',
	role: 'Who may start a conversation (`role`)',
};

/** `/settings show`: every setting with its value and where it comes from. */
export function settingsText(
	place: string,
	settings: EffectiveSettings,
	context: {
		readonly model: string;
		readonly inThread: boolean;
		readonly channelId: string;
		/** Whether the model is Gemini's: tools and thinking are Gemini features. @default true */
		readonly gemini?: boolean;
	},
): string {
	const lines = [`**Model settings for ${place}** (model \`${context.model}\`)`];
	for (const name of SETTING_NAMES) {
		const origin = settings.from[name];
		const where =
			origin === 'thread'
				? context.inThread
					? 'set for this thread'
					: 'set here'
				: origin === 'channel'
					? context.inThread
						? `from <#${context.channelId}>`
						: 'set here'
					: 'default';
		lines.push(`- ${LABELS[name]}: ${valueText(name, settings.values[name])} (${where})`);
	}
	const warning = modelWarning(context.model, settings.values, context.gemini ?? true);
	if (warning) lines.push(`-# ${warning}`);
	lines.push(
		context.inThread
			? '-# `/settings set` here overrides the channel for this thread only; `/settings reset` drops those overrides.'
			: '-# `/settings set` here applies to this channel and its threads; `/settings reset` goes back to the defaults.',
	);
	return lines.join('\n');
}

/** The values a `/settings set` changed, as one line each. */
export function changedText(values: SettingValues): string {
	return SETTING_NAMES.filter((name) => values[name] !== undefined)
		.map((name) => `- ${LABELS[name]}: ${valueText(name, values[name])}`)
		.join('\n');
}

const GEMINI_FEATURES = ['search', 'urls', 'code', 'thinking'] as const;

/** A note when the channel's model ignores a setting (Gemini's tools elsewhere) or takes it differently. */
export function modelWarning(model: string, values: SettingValues, gemini: boolean): string | undefined {
	if (gemini) return thinkingWarning(model, values.thinking);
	const used = GEMINI_FEATURES.filter((name) => values[name] !== undefined && values[name] !== false);
	if (used.length === 0) return undefined;
	const names = used.map((name) => `\`${name}\``);
	const list = names.length === 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
	return `${list} ${used.length === 1 ? 'is a Gemini feature' : 'are Gemini features'}: \`${model}\` ignores ${used.length === 1 ? 'it' : 'them'}.`;
}

/** A note when the channel's model takes the thinking setting differently from what it says. */
export function thinkingWarning(model: string, thinking: Thinking | undefined): string | undefined {
	if (thinking === undefined) return undefined;
	if (!/gemini-2\.5/.test(model)) return `\`thinking\` applies to Gemini 2.5 models; \`${model}\` ignores it.`;
	if (model.includes('pro') && (thinking === 'off' || (typeof thinking === 'number' && thinking < 128))) {
		return `\`${model}\` cannot think less than 128 tokens; it uses 128.`;
	}
	return undefined;
}

/** What an unset setting means (footer and max_output_tokens always have a value: SHOW_USAGE, MAX_OUTPUT_TOKENS). */
const UNSET: Record<SettingName, string> = {
	search: 'off',
	urls: 'off',
	code: 'off',
	footer: 'off',
	temperature: "the model's default",
	maxOutputTokens: "the model's default",
	thinking: "the model's default",
	enabled: 'on',
	role: 'everyone',
};

function valueText(name: SettingName, value: SettingValues[SettingName]): string {
	if (value === undefined || value === EVERYONE) return UNSET[name];
	if (typeof value === 'boolean') return value ? 'on' : 'off';
	if (name === 'role') return `members with <@&${String(value)}>`;
	if (name === 'thinking' && typeof value === 'number') return `up to ${value.toLocaleString('en-US')} tokens`;
	if (typeof value === 'number') return value.toLocaleString('en-US');
	return value === 'auto' ? 'auto (the model decides)' : value;
}
