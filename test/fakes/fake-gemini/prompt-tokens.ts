import { estimateTokens } from './build-response.js';
import { isRecord } from './is-record.js';

/** What Gemini bills for an image of up to 384 px a side; stands in for every inline part. */
export const INLINE_PART_TOKENS = 258;

/**
 * ceil(length of the JSON of the defined `values` / 4), with inline data counted as INLINE_PART_TOKENS each
 * rather than by its base64 length, which would turn one photo into hundreds of thousands of tokens.
 */
export function estimatePromptTokens(...values: unknown[]): number {
	let inlineParts = 0;
	const blankInlineData = (key: string, value: unknown): unknown => {
		if (key !== 'inlineData' || !isRecord(value)) return value;
		inlineParts += 1;
		return { ...value, data: '' };
	};
	const json = values
		.filter((value) => value !== undefined)
		.map((value) => JSON.stringify(value, blankInlineData))
		.join('');
	return estimateTokens(json) + inlineParts * INLINE_PART_TOKENS;
}
