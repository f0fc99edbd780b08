import { describe, expect, it } from 'vitest';
import { createModelSettingsStore } from '../../src/store/model-settings-store.js';
import { NO_USAGE, createSessionStore } from '../../src/store/session-store.js';
import type { NewThreadSummary } from '../../src/store/thread-summary-store.js';
import { createThreadSummaryStore } from '../../src/store/thread-summary-store.js';
import { openTestDatabase } from '../support/test-database.js';

/** A thread with `exchanges` answered questions; question ids are 1, 3, 5, ... */
function world(exchanges: number) {
	let clock = 1_000;
	const now = () => clock;
	const db = openTestDatabase();
	const sessions = createSessionStore(db, now);
	const summaries = createThreadSummaryStore(db, now);
	sessions.ensureSession({ threadId: 't1', guildId: 'g1', parentChannelId: 'c1', creatorId: 'u1', owned: true });
	for (let index = 0; index < exchanges; index += 1) {
		const question = sessions.appendUserTurn({
			threadId: 't1',
			authorId: 'u1',
			authorName: 'Alice',
			content: `question ${index}`,
			discordMessageId: `m${index}`,
		})!;
		sessions.appendModelTurn(
			{ threadId: 't1', replyToId: question.id, authorId: 'bot', authorName: 'gemthread', model: 'm' },
			{
				content: `answer ${index}`,
				replyMessageIds: [`r${index}`],
				status: 'complete',
				finishReason: 'STOP',
				errorCode: undefined,
				model: 'm',
				usage: NO_USAGE,
			},
		);
	}
	return {
		db,
		sessions,
		summaries,
		tick: (ms = 1_000) => (clock += ms),
		now,
	};
}

const summary = (throughTurnId: number, text = 'S', turnCount = 2): NewThreadSummary => ({
	threadId: 't1',
	summary: text,
	throughTurnId,
	turnCount,
	model: 'gemini-2.5-flash',
});

describe('thread summary store', () => {
	it('saves the first summary and replaces it only with one made from it', () => {
		const { summaries, now } = world(4);
		expect(summaries.replace(summary(3, 'first', 4), 0, now())).toBe(true);
		expect(summaries.summaryOf('t1')).toMatchObject({ summary: 'first', throughTurnId: 3, turnCount: 4 });
		// A fold that started from no summary (or an older one) lost the race: the newer summary stays.
		expect(summaries.replace(summary(5, 'stale'), 0, now())).toBe(false);
		expect(summaries.replace(summary(7, 'second', 8), 3, now())).toBe(true);
		expect(summaries.summaryOf('t1')).toMatchObject({ summary: 'second', throughTurnId: 7, turnCount: 8 });
	});

	it('refuses a summary when /rewind took out one of its turns while it was being made', () => {
		const { sessions, summaries, tick, now } = world(3);
		const readAt = now();
		tick();
		sessions.rewind('t1', 3);
		expect(summaries.replace(summary(3), 0, readAt)).toBe(false);
		expect(summaries.summaryOf('t1')).toBeUndefined();
	});

	it('saves a summary of the turns after a /reset that came before the fold read them', () => {
		const { sessions, summaries, tick, now } = world(2);
		sessions.resetContext('t1');
		tick();
		const after = sessions.appendUserTurn({
			threadId: 't1',
			authorId: 'u1',
			authorName: 'Alice',
			content: 'after the reset',
			discordMessageId: 'm-after',
		})!;
		// Turns 1-4 were excluded before this fold (of turn 5 on) began.
		expect(summaries.replace(summary(after.id), 0, now())).toBe(true);
	});

	it('refuses a summary whose turns /forget or retention deleted while it was being made', () => {
		const { summaries, now, db } = world(3);
		db.prepare("DELETE FROM messages WHERE thread_id = 't1'").run();
		expect(summaries.replace(summary(3), 0, now())).toBe(false);
		expect(summaries.summaryOf('t1')).toBeUndefined();
	});

	it('/reset drops the summary; /rewind drops it only when it reaches a summarized turn', () => {
		const { sessions, summaries, tick, now } = world(4);
		summaries.replace(summary(3), 0, now());
		tick();
		sessions.rewind('t1', 1);
		expect(summaries.dropIfExcluded('t1')).toBe(false);
		expect(summaries.summaryOf('t1')).toBeDefined();
		sessions.rewind('t1', 2);
		expect(summaries.dropIfExcluded('t1')).toBe(true);
		expect(summaries.summaryOf('t1')).toBeUndefined();

		tick();
		expect(summaries.replace(summary(1), 0, now())).toBe(true);
		expect(summaries.drop('t1')).toBe(true);
		expect(summaries.drop('t1')).toBe(false);
	});

	it('keeps a summary made after an older /rewind, which never covered the rewound turns', () => {
		const { sessions, summaries, tick, now } = world(4);
		sessions.rewind('t1', 1);
		tick();
		summaries.replace(summary(3), 0, now());
		expect(summaries.dropIfExcluded('t1')).toBe(false);
	});
});

describe('model settings store', () => {
	it('merges each /settings set into the stored values and reads them back typed', () => {
		let clock = 5;
		const store = createModelSettingsStore(openTestDatabase(), () => clock);
		expect(store.get('c1')).toBeUndefined();
		store.set({
			scopeId: 'c1',
			guildId: 'g1',
			setBy: 'mod',
			values: { search: true, temperature: 0.5, thinking: 'off' },
		});
		clock = 9;
		const merged = store.set({
			scopeId: 'c1',
			guildId: 'g1',
			setBy: 'mod2',
			values: { code: false, maxOutputTokens: 800, thinking: 1_024 },
		});
		expect(merged).toEqual({
			scopeId: 'c1',
			setBy: 'mod2',
			setAt: 9,
			search: true,
			urls: undefined,
			code: false,
			footer: undefined,
			temperature: 0.5,
			maxOutputTokens: 800,
			thinking: 1_024,
		});
		expect(store.get('c1')).toEqual(merged);
		store.set({ scopeId: 'c1', guildId: 'g1', setBy: 'mod', values: { thinking: 'auto', temperature: 0 } });
		expect(store.get('c1')).toMatchObject({ thinking: 'auto', temperature: 0 });
	});

	it('clears a scope so that it inherits again', () => {
		const store = createModelSettingsStore(openTestDatabase());
		store.set({ scopeId: 't1', guildId: 'g1', setBy: 'mod', values: { footer: true } });
		expect(store.clear('t1')).toBe(true);
		expect(store.get('t1')).toBeUndefined();
		expect(store.clear('t1')).toBe(false);
	});
});
