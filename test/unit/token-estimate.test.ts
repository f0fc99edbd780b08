import { describe, expect, it } from 'vitest';
import {
	calibrate,
	CHARACTERS_PER_TOKEN,
	estimateTokens,
	INLINE_FILE_TOKENS,
	promptSize,
} from '../../src/chat/token-estimate.js';

describe('promptSize', () => {
	it('counts the characters of the system instruction and every text part, and the files sent inline', () => {
		const image = { inlineData: { mimeType: 'image/png', data: Buffer.from('png') } };
		expect(
			promptSize({
				systemInstruction: 'abcde',
				contents: [
					{ role: 'user', parts: [{ text: '1234567890' }, image, image] },
					{ role: 'model', parts: [{ text: 'xyz' }] },
				],
			}),
		).toEqual({ characters: 18, inlineFiles: 2 });
	});
});

describe('estimateTokens', () => {
	it('divides characters by the ratio, rounding up, and adds a fixed share per file', () => {
		expect(CHARACTERS_PER_TOKEN).toBe(4);
		expect(INLINE_FILE_TOKENS).toBe(300);
		expect(estimateTokens({ characters: 9, inlineFiles: 0 })).toBe(3);
		expect(estimateTokens({ characters: 9, inlineFiles: 2 })).toBe(603);
		expect(estimateTokens({ characters: 9, inlineFiles: 0 }, 2)).toBe(5);
	});
});

describe('calibrate', () => {
	it("measures a thread's first call as characters per billed text token", () => {
		expect(calibrate({ characters: 1_000, inlineFiles: 0 }, 400, undefined)).toBe(2.5);
	});

	it('takes the files out of the billed tokens at their estimate', () => {
		expect(calibrate({ characters: 1_000, inlineFiles: 2 }, 800, undefined)).toBe(5);
	});

	it('averages the measurement with the previous ratio', () => {
		expect(calibrate({ characters: 1_000, inlineFiles: 0 }, 500, 3)).toBe(2.5);
	});

	it('clamps an implausible measurement to 1–8 characters per token', () => {
		expect(calibrate({ characters: 10_000, inlineFiles: 0 }, 100, undefined)).toBe(8);
		expect(calibrate({ characters: 10, inlineFiles: 0 }, 100, undefined)).toBe(1);
		expect(calibrate({ characters: 10_000, inlineFiles: 0 }, 100, 4)).toBe(6);
	});

	it('keeps the previous ratio (or the default) when nothing can be measured', () => {
		expect(calibrate({ characters: 0, inlineFiles: 1 }, 300, 3.5)).toBe(3.5);
		expect(calibrate({ characters: 500, inlineFiles: 2 }, 600, 3.5)).toBe(3.5);
		expect(calibrate({ characters: 500, inlineFiles: 2 }, 500, undefined)).toBe(CHARACTERS_PER_TOKEN);
	});
});
