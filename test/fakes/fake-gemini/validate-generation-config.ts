import { PROTO_PACKAGE } from './google-error.js';
import { isRecord } from './is-record.js';

/** Pro models cannot turn thinking off; matched as a word so that names merely containing the letters pass. */
const THINKING_ONLY_MODEL = /\bpro\b/i;

/** Checks `generationConfig`: temperature, topP, maxOutputTokens and thinkingConfig.thinkingBudget for `model`. */
export function validateGenerationConfig(config: unknown, requestName: string, model: string): string | undefined {
	if (config === undefined) return undefined;
	if (!isRecord(config)) {
		return `Invalid value at 'generation_config' (${PROTO_PACKAGE}.GenerationConfig), ${JSON.stringify(config)}`;
	}
	const prefix = `* ${requestName}.generation_config`;
	const { temperature, topP, maxOutputTokens } = config;
	if (temperature !== undefined && !inRange(temperature, 0, 2)) {
		return `${prefix}.temperature: temperature must be in the range [0.0, 2.0], got ${JSON.stringify(temperature)}\n`;
	}
	if (topP !== undefined && !inRange(topP, 0, 1)) {
		return `${prefix}.top_p: top_p must be in the range [0.0, 1.0], got ${JSON.stringify(topP)}\n`;
	}
	if (maxOutputTokens !== undefined) {
		if (!isInteger(maxOutputTokens)) {
			return `Invalid value at 'generation_config.max_output_tokens' (TYPE_INT32), ${JSON.stringify(maxOutputTokens)}`;
		}
		if (maxOutputTokens <= 0) return `${prefix}.max_output_tokens: max_output_tokens must be positive.\n`;
	}
	return validateThinkingConfig(config.thinkingConfig, prefix, model);
}

function validateThinkingConfig(thinking: unknown, prefix: string, model: string): string | undefined {
	if (thinking === undefined) return undefined;
	const path = 'generation_config.thinking_config';
	if (!isRecord(thinking))
		return `Invalid value at '${path}' (${PROTO_PACKAGE}.ThinkingConfig), ${JSON.stringify(thinking)}`;
	const budget = thinking.thinkingBudget;
	if (budget === undefined) return undefined;
	if (!isInteger(budget)) return `Invalid value at '${path}.thinking_budget' (TYPE_INT32), ${JSON.stringify(budget)}`;
	if (budget < -1) {
		return `${prefix}.thinking_config.thinking_budget: thinking_budget must be -1 (dynamic) or at least 0, got ${budget}\n`;
	}
	if (budget === 0 && THINKING_ONLY_MODEL.test(model)) {
		return 'Budget 0 is invalid. This model only works in thinking mode.';
	}
	return undefined;
}

function isInteger(value: unknown): value is number {
	return typeof value === 'number' && Number.isInteger(value);
}

function inRange(value: unknown, min: number, max: number): boolean {
	return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
}
