import { describe, expect, it } from 'vitest';
import { usageLine } from '../../src/chat/usage-line.js';
import type { TokenUsage } from '../../src/domain/token-usage.js';

const usage = (overrides: Partial<TokenUsage>): TokenUsage => ({
	promptTokens: 1_234,
	outputTokens: 345,
	thoughtsTokens: undefined,
	totalTokens: undefined,
	...overrides,
});
const sameModel = { answeredBy: 'gemini-2.5-flash', defaultModel: 'gemini-2.5-flash' };

describe('usageLine', () => {
	it('shows prompt and output tokens, seconds and speed as one subtext line', () => {
		expect(usageLine(usage({}), 2_100, sameModel)).toBe('-# 1,234 in · 345 out · 2.1 s · 164 tok/s');
	});

	it('shows cached prompt tokens after the prompt count', () => {
		expect(usageLine(usage({ cachedTokens: 1_024 }), 2_000, sameModel)).toBe(
			'-# 1,234 in (1,024 cached) · 345 out · 2.0 s · 173 tok/s',
		);
		expect(usageLine(usage({ cachedTokens: 0 }), 2_000, sameModel)).not.toContain('cached');
	});

	it('counts thinking tokens as output and shows them after it', () => {
		expect(usageLine(usage({ outputTokens: 100, thoughtsTokens: 1_900 }), 1_000, sameModel)).toBe(
			'-# 1,234 in · 2,000 out (1,900 thinking) · 1.0 s · 2,000 tok/s',
		);
		expect(usageLine(usage({ thoughtsTokens: 0 }), 1_000, sameModel)).not.toContain('thinking');
	});

	it('names the model only when it is not the default (a fallback answered)', () => {
		expect(usageLine(usage({}), 2_100, { answeredBy: 'gemini-2.5-pro', defaultModel: 'gemini-2.5-flash' })).toBe(
			'-# 1,234 in · 345 out · 2.1 s · 164 tok/s · gemini-2.5-pro',
		);
	});

	it('treats missing output as zero and never divides by a zero duration', () => {
		expect(usageLine(usage({ outputTokens: undefined }), 500, sameModel)).toBe('-# 1,234 in · 0 out · 0.5 s · 0 tok/s');
		expect(usageLine(usage({ outputTokens: 3 }), 0, sameModel)).toBe('-# 1,234 in · 3 out · 0.0 s · 3,000 tok/s');
	});

	it('returns undefined when Gemini reported no prompt tokens', () => {
		expect(usageLine(usage({ promptTokens: undefined }), 2_000, sameModel)).toBeUndefined();
	});
});
