import { describe, expect, it } from 'vitest';
import { describeOutcome } from '../../src/chat/describe-outcome.js';
import { retryStatusLine } from '../../src/chat/status-lines.js';
import { ModelError } from '../../src/llm/model-error.js';

const finish = (finishReason: string | undefined, blockReason?: string) => ({ finishReason, blockReason });

describe('describeOutcome', () => {
	it('marks a normal answer complete with no note', () => {
		expect(describeOutcome('Hello', finish('STOP'))).toEqual({
			status: 'complete',
			note: undefined,
			errorCode: undefined,
		});
	});

	it('keeps partial text with a note when the stream failed after text', () => {
		const outcome = describeOutcome('Half an answ', new ModelError('unavailable', 'x'));
		expect(outcome.status).toBe('partial');
		expect(outcome.note).toMatch(/incomplete.*Gemini became unavailable.*Send a message/);
		expect(outcome.errorCode).toBe('unavailable');
	});

	it('explains a failure before any text in words a member can act on', () => {
		expect(describeOutcome('', new ModelError('quota-exhausted', 'x'))).toMatchObject({
			status: 'error',
			note: expect.stringMatching(/quota for today.*midnight Pacific/) as unknown,
		});
		expect(describeOutcome('', new ModelError('bad-request', 'x')).note).toMatch(/Try rephrasing/);
		expect(describeOutcome('', new ModelError('auth', 'x')).note).toMatch(/GEMINI_API_KEY/);
	});

	it('says when the daily quota resets: the next midnight Pacific, as Discord timestamps', () => {
		const now = Date.parse('2026-11-28T08:17:00Z');
		const reset = Date.parse('2026-11-29T08:00:00Z') / 1_000;
		expect(describeOutcome('', new ModelError('quota-exhausted', 'x'), now).note).toContain(
			`midnight Pacific time (<t:${reset}:t>, <t:${reset}:R>)`,
		);
	});

	it('stores why a reply ended without a note where nobody could read one', () => {
		const gone = new ModelError('gone', 'deleted', { code: 'thread-deleted' });
		expect(describeOutcome('some text', gone)).toEqual({
			status: 'partial',
			note: undefined,
			errorCode: 'thread-deleted',
		});
		expect(describeOutcome('', new ModelError('shutdown', 'The bot is stopping.'))).toEqual({
			status: 'error',
			note: 'The bot is stopping.',
			errorCode: 'shutdown',
		});
	});

	it('uses the stop reason as the note of a stopped reply', () => {
		expect(describeOutcome('abc', new ModelError('stopped', 'Stopped by Alice.'))).toEqual({
			status: 'partial',
			note: 'Stopped by Alice.',
			errorCode: 'stopped',
		});
	});

	it('reports blocked prompts, empty answers and early finish reasons', () => {
		expect(describeOutcome('', finish(undefined, 'SAFETY'))).toMatchObject({
			status: 'error',
			errorCode: 'blocked:SAFETY',
		});
		expect(describeOutcome('', finish('STOP'))).toMatchObject({
			status: 'error',
			note: expect.stringMatching(/empty answer/) as unknown,
		});
		expect(describeOutcome('text', finish('MAX_TOKENS'))).toMatchObject({ status: 'partial', errorCode: 'MAX_TOKENS' });
		expect(describeOutcome('text', finish('SAFETY'))).toMatchObject({
			status: 'partial',
			note: 'Gemini stopped this answer early (SAFETY).',
		});
		expect(describeOutcome('text', finish(undefined))).toMatchObject({ status: 'partial', errorCode: 'no-finish' });
	});
});

describe('retryStatusLine', () => {
	it('says why and when the next attempt happens', () => {
		expect(retryStatusLine(new ModelError('rate-limited', 'x'), 7_400)).toBe('⏳ Gemini is busy; trying again in 7 s…');
		expect(retryStatusLine(new ModelError('unavailable', 'x'), 300)).toBe(
			'⏳ Gemini did not answer; trying again in 1 s…',
		);
	});
});
