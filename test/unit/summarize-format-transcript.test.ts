import { describe, expect, it } from 'vitest';
import { formatTranscript } from '../../src/summarize/format-transcript.js';
import { sessionTranscript } from '../../src/summarize/session-transcript.js';
import type { StoredTurn } from '../../src/domain/turn.js';
import { storedTurn } from '../support/stored-turn.js';

const at = Date.UTC(2025, 0, 3, 14, 5, 42);

describe('formatTranscript', () => {
	it('writes one entry per message: UTC time, display name, text', () => {
		expect(
			formatTranscript([
				{ authorName: 'Alice', bot: false, content: '  Ship on Friday?\nOr Monday? ', createdAt: at },
				{ authorName: 'Bob', bot: false, content: 'Friday.', createdAt: at + 26 * 60 * 60_000 },
			]),
		).toEqual(['[2025-01-03 14:05] Alice: Ship on Friday?\nOr Monday?', '[2025-01-04 16:05] Bob: Friday.']);
	});

	it('marks bots and replies, and names attachments and embeds instead of dropping them', () => {
		expect(
			formatTranscript([
				{
					authorName: 'CI',
					bot: true,
					content: '',
					createdAt: at,
					extras: ['embed: Build #42 passed — https://ci.example/42'],
				},
				{
					authorName: 'Alice',
					bot: false,
					content: 'Here is the plan',
					createdAt: at,
					replyTo: 'Bob',
					extras: ['image: plan.png', 'file: notes.pdf'],
				},
			]),
		).toEqual([
			'[2025-01-03 14:05] CI (bot): [embed: Build #42 passed — https://ci.example/42]',
			'[2025-01-03 14:05] Alice (replying to Bob): Here is the plan [image: plan.png] [file: notes.pdf]',
		]);
	});
});

describe('sessionTranscript', () => {
	const turn = (id: number, role: 'user' | 'model', authorName: string, content: string): StoredTurn =>
		storedTurn({ id, role, authorName, content, status: undefined, createdAt: at + id * 60_000 });
	const turns = [
		turn(1, 'user', 'Alice', 'first question'),
		turn(2, 'model', 'Gemthread', 'first answer'),
		turn(3, 'user', 'Bob', 'second question'),
		turn(4, 'model', 'Gemthread', ''),
	];

	it('names members and the bot, and leaves out failed empty replies', () => {
		expect(formatTranscript(sessionTranscript(turns, { limit: undefined, since: undefined }))).toEqual([
			'[2025-01-03 14:06] Alice: first question',
			'[2025-01-03 14:07] Gemthread (bot): first answer',
			'[2025-01-03 14:08] Bob: second question',
		]);
	});

	it('applies `messages` and `since` to the turns', () => {
		const names = (limit: number | undefined, since: number | undefined) =>
			sessionTranscript(turns, { limit, since }).map((message) => message.content);
		expect(names(2, undefined)).toEqual(['first answer', 'second question']);
		expect(names(undefined, at + 2 * 60_000)).toEqual(['first answer', 'second question']);
		expect(names(1, at)).toEqual(['second question']);
	});
});
