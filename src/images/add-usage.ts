import type { TokenUsage } from '../domain/token-usage.js';

/** Token counts of two calls together (a retry costs too). */
export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
	const sum = (x: number | undefined, y: number | undefined): number | undefined =>
		x === undefined && y === undefined ? undefined : (x ?? 0) + (y ?? 0);
	return {
		promptTokens: sum(a.promptTokens, b.promptTokens),
		outputTokens: sum(a.outputTokens, b.outputTokens),
		thoughtsTokens: sum(a.thoughtsTokens, b.thoughtsTokens),
		totalTokens: sum(a.totalTokens, b.totalTokens),
		cachedTokens: sum(a.cachedTokens, b.cachedTokens),
	};
}
