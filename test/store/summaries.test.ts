import { describe, expect, it } from 'vitest';
import type { NewThreadSummary } from '../../src/store/ports/thread-summary-store.js';
import { BACKENDS, useBackend } from './backends.js';
import { conversation } from './fixtures.js';

const summary = (throughTurnId: number, text = 'S', turnCount = 2): NewThreadSummary => ({
	threadId: 't1',
	summary: text,
	throughTurnId,
	turnCount,
	model: 'gemini-2.5-flash',
});

describe.each(BACKENDS)('$name: thread summaries', (backend) => {
	const h = useBackend(backend);

	/** A thread with `exchanges` answered questions, and a clock that moves only when told. */
	async function world(exchanges: number) {
		let clock = 1_000;
		const stores = h.stores(() => clock);
		const questions = (await conversation(stores.sessions, exchanges)).map((question) => question.id);
		return { ...stores, questions, tick: (ms = 1_000) => (clock += ms), now: () => clock };
	}

	it('saves the first summary and replaces it only with one made from it', async () => {
		const { summaries, questions, now } = await world(4);
		const [, second, third, fourth] = questions;
		expect(await summaries.replace(summary(second!, 'first', 4), 0, now())).toBe(true);
		expect(await summaries.summaryOf('t1')).toMatchObject({ summary: 'first', throughTurnId: second, turnCount: 4 });
		// A fold that started from no summary (or an older one) lost the race: the newer summary stays.
		expect(await summaries.replace(summary(third!, 'stale'), 0, now())).toBe(false);
		expect(await summaries.replace(summary(fourth!, 'second', 8), second!, now())).toBe(true);
		expect(await summaries.summaryOf('t1')).toMatchObject({ summary: 'second', throughTurnId: fourth, turnCount: 8 });
	});

	it('refuses a summary when /rewind took out one of its turns while it was being made', async () => {
		const { sessions, summaries, questions, tick, now } = await world(3);
		const readAt = now();
		tick();
		await sessions.rewind('t1', 3);
		expect(await summaries.replace(summary(questions[1]!), 0, readAt)).toBe(false);
		expect(await summaries.summaryOf('t1')).toBeUndefined();
	});

	it('refuses a summary when a member edited one of its turns while it was being made', async () => {
		const { sessions, summaries, questions, tick, now } = await world(3);
		const readAt = now();
		tick();
		await sessions.updateTurnContent(questions[0]!, 'edited');
		expect(await summaries.replace(summary(questions[1]!), 0, readAt)).toBe(false);
	});

	it('saves a summary of the turns after a /reset that came before the fold read them', async () => {
		const { sessions, summaries, tick, now } = await world(2);
		await sessions.resetContext('t1');
		tick();
		const after = await sessions.appendUserTurn({
			threadId: 't1',
			authorId: 'u1',
			authorName: 'Alice',
			content: 'after the reset',
			discordMessageId: 'm-after',
		});
		expect(await summaries.replace(summary(after!.id), 0, now())).toBe(true);
	});

	it('refuses a summary whose turns /forget or retention deleted while it was being made', async () => {
		const { summaries, forget, questions, now } = await world(3);
		await forget.forget('t1');
		expect(await summaries.replace(summary(questions[1]!), 0, now())).toBe(false);
		expect(await summaries.summaryOf('t1')).toBeUndefined();
	});

	it('/reset drops the summary; /rewind drops it only when it reaches a summarized turn', async () => {
		const { sessions, summaries, questions, tick, now } = await world(4);
		await summaries.replace(summary(questions[1]!), 0, now());
		tick();
		await sessions.rewind('t1', 1);
		expect(await summaries.dropIfExcluded('t1')).toBe(false);
		expect(await summaries.summaryOf('t1')).toBeDefined();
		await sessions.rewind('t1', 2);
		expect(await summaries.dropIfExcluded('t1')).toBe(true);
		expect(await summaries.summaryOf('t1')).toBeUndefined();

		tick();
		expect(await summaries.replace(summary(questions[0]!), 0, now())).toBe(true);
		expect(await summaries.drop('t1')).toBe(true);
		expect(await summaries.drop('t1')).toBe(false);
	});

	it('keeps a summary made after an older /rewind, which never covered the rewound turns', async () => {
		const { sessions, summaries, questions, tick, now } = await world(4);
		await sessions.rewind('t1', 1);
		tick();
		await summaries.replace(summary(questions[1]!), 0, now());
		expect(await summaries.dropIfExcluded('t1')).toBe(false);
	});
});
