import type { TokenUsage } from '../domain/token-usage.js';

/**
 * The subtext line under a reply with `footer` on: `-# 1,234 in · 345 out · 2.1 s · 164 tok/s`, with cached prompt
 * tokens, thinking tokens (billed as output) and the model when they apply. Undefined when Gemini reported no usage.
 */
export function usageLine(
	usage: TokenUsage,
	elapsedMs: number,
	models: { readonly answeredBy: string; readonly defaultModel: string },
): string | undefined {
	if (usage.promptTokens === undefined) return undefined;
	const thinking = usage.thoughtsTokens ?? 0;
	const output = (usage.outputTokens ?? 0) + thinking;
	const seconds = Math.max(elapsedMs, 1) / 1_000;
	const cached = usage.cachedTokens ? ` (${count(usage.cachedTokens)} cached)` : '';
	const thought = thinking > 0 ? ` (${count(thinking)} thinking)` : '';
	const parts = [
		`${count(usage.promptTokens)} in${cached}`,
		`${count(output)} out${thought}`,
		`${seconds.toFixed(1)} s`,
		`${count(Math.round(output / seconds))} tok/s`,
	];
	if (models.answeredBy !== models.defaultModel) parts.push(models.answeredBy);
	return `-# ${parts.join(' · ')}`;
}

function count(value: number): string {
	return value.toLocaleString('en-US');
}
