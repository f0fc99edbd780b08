import type { GenerateContentConfig, Tool } from '@google/genai';
import type { GenerationOptions } from './chat-model.js';

/** The SDK config fields a channel's settings set: tools, temperature, output length, thinking. */
export function generationConfig(
	model: string,
	options: GenerationOptions | undefined,
): Pick<GenerateContentConfig, 'tools' | 'temperature' | 'maxOutputTokens' | 'thinkingConfig'> {
	if (!options) return {};
	const tools: Tool[] = [];
	if (options.search === true) tools.push({ googleSearch: {} });
	if (options.urls === true) tools.push({ urlContext: {} });
	if (options.code === true) tools.push({ codeExecution: {} });
	const thinkingBudget = thinkingBudgetFor(model, options.thinkingBudget);
	return {
		...(tools.length > 0 ? { tools } : {}),
		...(options.temperature === undefined ? {} : { temperature: options.temperature }),
		...(options.maxOutputTokens === undefined ? {} : { maxOutputTokens: options.maxOutputTokens }),
		...(thinkingBudget === undefined ? {} : { thinkingConfig: { thinkingBudget } }),
	};
}

/**
 * The budget a model accepts: only 2.5 models take one (others answer 400), Pro cannot turn thinking off and takes
 * 128–32,768, Flash-Lite takes 0 or 512–24,576, Flash 0–24,576; -1 (dynamic) suits all of them.
 */
export function thinkingBudgetFor(model: string, budget: number | undefined): number | undefined {
	if (budget === undefined || !/gemini-2\.5/.test(model)) return undefined;
	if (budget === -1) return budget;
	if (model.includes('pro')) return clamp(budget, 128, 32_768);
	if (budget === 0) return 0;
	return model.includes('lite') ? clamp(budget, 512, 24_576) : clamp(budget, 1, 24_576);
}

function clamp(value: number, min: number, max: number): number {
	return Math.min(max, Math.max(min, value));
}
