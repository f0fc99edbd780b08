/** What a model call used, as its provider reported it (undefined: not reported). */
export type TokenUsage = {
	promptTokens: number | undefined;
	outputTokens: number | undefined;
	thoughtsTokens: number | undefined;
	totalTokens: number | undefined;
	/** The share of the prompt the provider served from its cache (billed at a discount). */
	cachedTokens?: number | undefined;
};

/** A call that reported no usage (failed, or cut off before the provider's last chunk). */
export const NO_USAGE: TokenUsage = {
	promptTokens: undefined,
	outputTokens: undefined,
	thoughtsTokens: undefined,
	totalTokens: undefined,
};
