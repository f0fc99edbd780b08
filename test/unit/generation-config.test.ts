import { describe, expect, it } from 'vitest';
import { generationConfig, thinkingBudgetFor } from '../../src/llm/generation-config.js';

describe('generationConfig', () => {
	it('sends nothing without options, or with options that change nothing', () => {
		expect(generationConfig('gemini-2.5-flash', undefined)).toEqual({});
		expect(generationConfig('gemini-2.5-flash', { search: false, urls: false, code: false })).toEqual({});
	});

	it('lists the tools in a fixed order: search, links, code', () => {
		expect(generationConfig('gemini-2.5-flash', { code: true, urls: true, search: true }).tools).toEqual([
			{ googleSearch: {} },
			{ urlContext: {} },
			{ codeExecution: {} },
		]);
		expect(generationConfig('gemini-2.5-flash', { code: true }).tools).toEqual([{ codeExecution: {} }]);
		expect(generationConfig('gemini-2.5-flash', { urls: true, search: false }).tools).toEqual([{ urlContext: {} }]);
	});

	it('passes temperature and output length through, zero temperature included', () => {
		expect(generationConfig('gemini-2.0-flash', { temperature: 0, maxOutputTokens: 512 })).toEqual({
			temperature: 0,
			maxOutputTokens: 512,
		});
	});

	it('sets a thinking budget only for Gemini 2.5 models', () => {
		expect(generationConfig('gemini-2.5-flash', { thinkingBudget: 1_000 }).thinkingConfig).toEqual({
			thinkingBudget: 1_000,
		});
		expect(generationConfig('gemini-2.0-flash', { thinkingBudget: 1_000 })).toEqual({});
	});
});

describe('thinkingBudgetFor', () => {
	it('leaves the budget out when none is set or the model is not a 2.5 one', () => {
		expect(thinkingBudgetFor('gemini-2.5-flash', undefined)).toBeUndefined();
		expect(thinkingBudgetFor('gemini-2.0-flash', 0)).toBeUndefined();
		expect(thinkingBudgetFor('gemini-1.5-pro', -1)).toBeUndefined();
	});

	it('keeps Pro within 128–32,768 since it cannot turn thinking off', () => {
		expect(thinkingBudgetFor('gemini-2.5-pro', 0)).toBe(128);
		expect(thinkingBudgetFor('gemini-2.5-pro', 50)).toBe(128);
		expect(thinkingBudgetFor('gemini-2.5-pro', 4_000)).toBe(4_000);
		expect(thinkingBudgetFor('gemini-2.5-pro', 40_000)).toBe(32_768);
	});

	it('lets Flash-Lite turn thinking off or think 512–24,576 tokens', () => {
		expect(thinkingBudgetFor('gemini-2.5-flash-lite', 0)).toBe(0);
		expect(thinkingBudgetFor('gemini-2.5-flash-lite', 100)).toBe(512);
		expect(thinkingBudgetFor('gemini-2.5-flash-lite', 2_000)).toBe(2_000);
		expect(thinkingBudgetFor('gemini-2.5-flash-lite', 32_768)).toBe(24_576);
	});

	it('lets Flash think 0–24,576 tokens', () => {
		expect(thinkingBudgetFor('gemini-2.5-flash', 0)).toBe(0);
		expect(thinkingBudgetFor('gemini-2.5-flash', 1)).toBe(1);
		expect(thinkingBudgetFor('gemini-2.5-flash', 30_000)).toBe(24_576);
	});

	it('keeps -1 (the model decides) for every 2.5 model', () => {
		for (const model of ['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite']) {
			expect(thinkingBudgetFor(model, -1)).toBe(-1);
		}
	});
});
