import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/config/parse-duration.js';
import { MAX_MESSAGES, summaryBounds } from '../../src/summarize/summary-bounds.js';
import { UserFacingError } from '../../src/domain/user-facing-error.js';

const MINUTE = 60_000;

describe('parseDuration', () => {
	it.each([
		['30m', 30 * MINUTE],
		['2h', 120 * MINUTE],
		['3d', 3 * 24 * 60 * MINUTE],
		['1w', 7 * 24 * 60 * MINUTE],
		['90 minutes', 90 * MINUTE],
		['1.5h', 90 * MINUTE],
		[' 2H ', 120 * MINUTE],
	])('reads %j', (text, expected) => {
		expect(parseDuration(text)).toBe(expected);
	});

	it.each(['', 'yesterday', '10', '2x', '-2h', '0m', 'h', '2h30m', '1e3d'])('refuses %j', (text) => {
		expect(parseDuration(text)).toBeUndefined();
	});
});

describe('summaryBounds', () => {
	const now = Date.UTC(2025, 0, 3, 12);

	it('leaves unset what the member did not set, and caps `messages`', () => {
		expect(summaryBounds({ messages: null, since: null }, now)).toEqual({
			limit: undefined,
			since: undefined,
			sinceText: undefined,
		});
		expect(summaryBounds({ messages: 5_000, since: '  ' }, now).limit).toBe(MAX_MESSAGES);
	});

	it('turns `since` into a time before now', () => {
		expect(summaryBounds({ messages: 50, since: '2h' }, now)).toEqual({
			limit: 50,
			since: now - 120 * MINUTE,
			sinceText: '2h',
		});
	});

	it('refuses a `since` that is not a duration, with examples the member can copy', () => {
		expect(() => summaryBounds({ messages: null, since: 'last week' }, now)).toThrow(
			new UserFacingError('since must look like 30m, 2h or 3d (you wrote "last week").'),
		);
	});
});
