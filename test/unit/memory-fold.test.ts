import { describe, expect, it } from 'vitest';
import { NO_MEDIA } from '../../src/chat/turn-parts.js';
import type { ContextMedia } from '../../src/chat/turn-parts.js';
import { capFold } from '../../src/memory/cap-fold.js';
import { planFold } from '../../src/memory/plan-fold.js';
import { summaryRequest } from '../../src/memory/summary-request.js';
import type { StoredTurn } from '../../src/domain/turn.js';
import type { TurnAttachment } from '../../src/store/ports/attachment-store.js';
import { storedTurn } from '../support/stored-turn.js';

/** A question (id `id`) by Alice and its answer posted to Discord, in conversation order. */
const exchange = (id: number, question: string, answer: string): StoredTurn[] => [
	storedTurn({ id, content: question }),
	storedTurn({ id: id + 1, role: 'model', content: answer, replyToId: id, discordMessageId: `reply-${id}` }),
];
/** `count` exchanges with ids 1, 3, 5, …; each turn costs 25 tokens at 4 characters per token ("Alice: " + 93). */
const thread = (count: number): StoredTurn[] =>
	Array.from({ length: count }, (_, index) => exchange(index * 2 + 1, 'q'.repeat(93), 'a'.repeat(100))).flat();
const newestFirst = (turns: readonly StoredTurn[]) => [...turns].reverse();
const plan = (turns: readonly StoredTurn[], keepTokens: number, charactersPerToken?: number) =>
	planFold(newestFirst(turns), { keepTokens, charactersPerToken, media: NO_MEDIA });

describe('planFold', () => {
	it('folds nothing while the recent turns all fit', async () => {
		expect(await plan(thread(4), 200)).toBeUndefined();
		expect(await plan([], 10)).toBeUndefined();
	});

	it('folds from the newest exchange that does not fit back to the start', async () => {
		// Newest first: exchange 7 (50 tokens), 5 (100), then 3's answer makes 125 > 120.
		expect(await plan(thread(4), 120)).toBe(3);
		// Exchange 5's question is the turn that overflows: its whole exchange goes.
		expect(await plan(thread(4), 90)).toBe(5);
	});

	it('never folds the newest exchange, even when it alone is over the budget', async () => {
		expect(await plan(exchange(1, 'x'.repeat(4_000), 'y'.repeat(4_000)), 10)).toBeUndefined();
		const turns = [...thread(2), ...exchange(5, 'x'.repeat(4_000), 'y'.repeat(4_000))];
		expect(await plan(turns, 10)).toBe(3);
	});

	it('leaves out replies no member saw when counting', async () => {
		const unseen = storedTurn({ id: 4, role: 'model', content: 'z'.repeat(10_000), replyToId: 3 });
		const turns = [...exchange(1, 'q', 'a'), storedTurn({ id: 3, content: 'next' }), unseen];
		expect(await plan(turns, 50)).toBeUndefined();
	});

	it('folds more of the thread when its text takes more tokens per character', async () => {
		expect(await plan(thread(4), 120, 4)).toBe(3);
		expect(await plan(thread(4), 120, 2)).toBe(5);
	});

	it('stops reading the thread once it knows where to fold', async () => {
		const turns = thread(1_000);
		let read = 0;
		function* lazily() {
			for (const turn of newestFirst(turns)) {
				read += 1;
				yield turn;
			}
		}
		expect(await planFold(lazily(), { keepTokens: 100, charactersPerToken: undefined, media: NO_MEDIA })).toBe(1_995);
		expect(read).toBeLessThan(10);
	});
});

describe('capFold', () => {
	// Each turn counts its text plus 40 characters for the speaker: 60 + 40 = 100 characters, 25 tokens.
	const turns = [
		...exchange(1, 'a'.repeat(60), 'b'.repeat(60)),
		...exchange(3, 'c'.repeat(60), 'd'.repeat(60)),
		...exchange(5, 'e'.repeat(60), 'f'.repeat(60)),
	];
	const cap = (maxTokens: number) => capFold(turns, { maxTokens, charactersPerToken: undefined });

	it('takes the oldest whole exchanges that fit and says through which exchange', () => {
		expect(cap(120)).toEqual({ turns: turns.slice(0, 4), throughTurnId: 3 });
		expect(cap(150)).toEqual({ turns, throughTurnId: 5 });
	});

	it('never cuts an exchange in two', () => {
		expect(cap(75)).toEqual({ turns: turns.slice(0, 2), throughTurnId: 1 });
	});

	it('takes at least the oldest exchange, even over the limit', () => {
		expect(cap(1)).toEqual({ turns: turns.slice(0, 2), throughTurnId: 1 });
	});

	it('counts with the thread’s own characters per token', () => {
		expect(capFold(turns, { maxTokens: 120, charactersPerToken: 2 })?.throughTurnId).toBe(1);
	});

	it('returns undefined when there is nothing to fold', () => {
		expect(capFold([], { maxTokens: 100, charactersPerToken: undefined })).toBeUndefined();
	});
});

describe('summaryRequest', () => {
	const photo: TurnAttachment = {
		filename: 'cat.png',
		mimeType: 'image/png',
		kind: 'image',
		size: 3,
		sha256: 'photo',
	};
	const notes: TurnAttachment = {
		filename: 'notes.txt',
		mimeType: 'text/plain',
		kind: 'text',
		size: 6,
		sha256: 'notes',
	};
	const media: ContextMedia = {
		mediaTurns: 10,
		maxInlineBytes: 1_000_000,
		attachmentsOf: (turnId) => Promise.resolve(turnId === 3 ? [photo, notes] : []),
		bytesOf: () => Promise.resolve(Buffer.from('SECRET')),
	};
	const turns = [
		...exchange(1, 'Let us plan the trip.', 'Sure, where to?').map((turn) =>
			turn.role === 'model' ? { ...turn, authorName: 'Bot' } : turn,
		),
		storedTurn({ id: 3, content: 'Here is my cat', authorName: 'Bob', attachmentCount: 2 }),
	];

	it('sends the summary so far and the new turns, named, in one user message', async () => {
		const request = await summaryRequest('Alice wants to travel.', turns, { words: 300, media });
		expect(request.contents).toHaveLength(1);
		expect(request.contents[0]).toEqual({
			role: 'user',
			parts: [
				{
					text: [
						'Summary so far:',
						'Alice wants to travel.',
						'',
						'New messages, oldest first:',
						'',
						'Alice: Let us plan the trip.',
						'',
						'Bot (the assistant): Sure, where to?',
						'',
						'Bob: Here is my cat\n[image: cat.png]\n[file: notes.txt]',
					].join('\n'),
				},
			],
		});
	});

	it('names files instead of sending their bytes', async () => {
		const [content] = (await summaryRequest(undefined, turns, { words: 300, media })).contents;
		expect(content!.parts.every((part) => 'text' in part)).toBe(true);
		expect(JSON.stringify(content)).not.toContain('SECRET');
	});

	it('says when there is no summary yet', async () => {
		const [content] = (await summaryRequest(undefined, turns, { words: 300, media })).contents;
		expect(JSON.stringify(content)).toContain('Summary so far:\\n(none yet');
	});

	it('asks for at most about the given number of words', async () => {
		const { systemInstruction } = await summaryRequest(undefined, turns, { words: 450, media });
		expect(systemInstruction).toContain('at most about 450 words');
		expect((await summaryRequest(undefined, turns, { words: 300, media })).systemInstruction).not.toContain('450');
	});
});
