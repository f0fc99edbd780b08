import type { SettingValues, Thinking } from '../domain/setting-values.js';
import { UserFacingError } from '../domain/user-facing-error.js';

export const TEMPERATURE_RANGE = { min: 0, max: 2 } as const;
// Gemini 2.5 models write at most 65,536 tokens; older ones fewer (Gemini cuts the answer at its own limit).
export const MAX_OUTPUT_TOKENS_RANGE = { min: 1, max: 65_536 } as const;
// Gemini 2.5 Pro takes the largest budget; Flash caps at 24,576 (the bot sends each model what it accepts).
export const THINKING_BUDGET_MAX = 32_768;

/** What a member typed in `/settings set`, before checking. */
export type RawSettingValues = {
	readonly search: boolean | null;
	readonly urls: boolean | null;
	readonly code: boolean | null;
	readonly footer: boolean | null;
	readonly temperature: number | null;
	readonly maxOutputTokens: number | null;
	readonly thinking: string | null;
	readonly enabled: boolean | null;
	/** A role id, or EVERYONE. */
	readonly role: string | null;
};

/** Checks each value against its allowed range; a bad one is refused with that range, and nothing is saved. */
export function parseSettingValues(raw: RawSettingValues): SettingValues {
	const values: { -readonly [K in keyof SettingValues]: SettingValues[K] } = {};
	if (raw.search !== null) values.search = raw.search;
	if (raw.urls !== null) values.urls = raw.urls;
	if (raw.code !== null) values.code = raw.code;
	if (raw.footer !== null) values.footer = raw.footer;
	if (raw.temperature !== null) {
		const { min, max } = TEMPERATURE_RANGE;
		if (!(raw.temperature >= min && raw.temperature <= max)) {
			throw new UserFacingError(`\`temperature\` must be between ${min} and ${max}; you gave ${raw.temperature}.`);
		}
		values.temperature = raw.temperature;
	}
	if (raw.maxOutputTokens !== null) {
		const { min, max } = MAX_OUTPUT_TOKENS_RANGE;
		if (!Number.isInteger(raw.maxOutputTokens) || raw.maxOutputTokens < min || raw.maxOutputTokens > max) {
			throw new UserFacingError(
				`\`max_output_tokens\` must be a whole number from ${min} to ${max.toLocaleString('en-US')}; you gave ${raw.maxOutputTokens}.`,
			);
		}
		values.maxOutputTokens = raw.maxOutputTokens;
	}
	if (raw.thinking !== null) values.thinking = parseThinking(raw.thinking);
	if (raw.enabled !== null) values.enabled = raw.enabled;
	if (raw.role !== null) values.role = raw.role;
	if (Object.keys(values).length === 0) {
		throw new UserFacingError('Name at least one setting to change, for example `/settings set search:True`.');
	}
	return values;
}

function parseThinking(input: string): Thinking {
	const text = input.trim().toLowerCase();
	if (text === 'off' || text === 'auto') return text;
	const budget = /^\d+$/.test(text) ? Number(text) : Number.NaN;
	if (!(budget <= THINKING_BUDGET_MAX)) {
		throw new UserFacingError(
			`\`thinking\` must be \`off\`, \`auto\` or a token budget from 0 to ${THINKING_BUDGET_MAX.toLocaleString('en-US')}; you gave \`${input.slice(0, 40)}\`.`,
		);
	}
	return budget === 0 ? 'off' : budget;
}
