import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { threadNameHash } from '../../src/domain/bot-thread-name.js';
import { BACKENDS, useBackend } from './backends.js';
import { answer, ask, author, contents, conversation, ending, SESSION, USAGE, user } from './fixtures.js';

describe.each(BACKENDS)('$name: sessions and turns', (backend) => {
	const h = useBackend(backend);

	it('creates a session once and returns the stored one afterwards', async () => {
		let clock = 1_000;
		const { sessions } = h.stores(() => clock);
		expect(await sessions.getSession('t1')).toBeUndefined();
		expect(await sessions.ensureSession(SESSION)).toEqual({ ...SESSION, createdAt: 1_000, updatedAt: 1_000 });
		clock = 2_000;
		expect((await sessions.ensureSession({ ...SESSION, creatorId: 'someone-else' })).creatorId).toBe('u1');
		const named = await sessions.ensureSession({ ...SESSION, threadId: 't2', owned: false, botThreadName: 'Hi' });
		expect(named).toMatchObject({ owned: false, botThreadNameHash: threadNameHash('Hi') });
	});

	it('stores each Discord message once: a replayed event adds no second turn', async () => {
		const { sessions } = h.stores();
		await sessions.ensureSession(SESSION);
		expect(await sessions.appendUserTurn(user('m1', 'hello'))).toMatchObject({
			role: 'user',
			content: 'hello',
			status: undefined,
		});
		expect(await sessions.appendUserTurn(user('m1', 'hello'))).toBeUndefined();
		expect(await sessions.hasDiscordMessage('m1')).toBe(true);
		expect(await sessions.listTurns('t1')).toHaveLength(1);
	});

	it('stores model turns with status, finish reason and token usage, and touches the session', async () => {
		let clock = 1_000;
		const { sessions } = h.stores(() => clock);
		await sessions.ensureSession(SESSION);
		const question = await ask(sessions, 'm1', 'hi');
		clock = 5_000;
		const grounding = { sources: [{ title: 'T', url: 'https://example.com' }], queries: ['q'] };
		const reply = await answer(sessions, question.id, 'partial text', {
			status: 'partial',
			errorCode: 'unavailable',
			grounding,
			usage: { ...USAGE, cachedTokens: 4 },
		});
		expect(reply).toMatchObject({
			role: 'model',
			replyToId: question.id,
			exchangeId: question.id,
			status: 'partial',
			errorCode: 'unavailable',
			finishReason: 'STOP',
			model: 'gemini-2.5-flash',
			usage: { ...USAGE, cachedTokens: 4 },
			createdAt: 5_000,
			replyMessageIds: [`reply-${question.id}`],
			grounding,
		});
		expect(typeof reply.id).toBe('number');
		expect((await sessions.getSession('t1'))?.updatedAt).toBe(5_000);
		clock = 3_000;
		await ask(sessions, 'm2', 'late');
		expect((await sessions.getSession('t1'))?.updatedAt).toBe(5_000);
	});

	it('lists each answer right after its question even when questions arrived first', async () => {
		const { sessions } = h.stores();
		await sessions.ensureSession(SESSION);
		const first = await ask(sessions, 'm1', 'first');
		const second = await ask(sessions, 'm2', 'second', 'Bob');
		await answer(sessions, first.id, 'answer one');
		await answer(sessions, second.id, 'answer two');
		expect(contents(await sessions.listTurns('t1'))).toEqual(['first', 'answer one', 'second', 'answer two']);
		expect(contents(await sessions.listTurns('t1', { throughTurnId: first.id }))).toEqual(['first', 'answer one']);
		expect(contents(await sessions.listTurns('t1', { afterTurnId: first.id }))).toEqual(['second', 'answer two']);
	});

	it('rejects a model turn whose status is missing and a user turn for an unknown session', async () => {
		const { sessions } = h.stores();
		await expect(sessions.appendUserTurn({ ...user('m1', 'x'), threadId: 'missing' })).rejects.toThrow(/foreign key/i);
		await sessions.ensureSession(SESSION);
		await expect(
			sql`INSERT INTO messages (thread_id, role, author_id, author_name, content, created_at)
				VALUES ('t1', 'model', 'b', 'b', '', 0)`.execute(h.db()),
		).rejects.toThrow(/check/i);
		expect(await h.count('messages')).toBe(0);
	});

	it('reset leaves every turn stored but out of the context', async () => {
		const { sessions } = h.stores();
		await conversation(sessions, 3);
		expect(await sessions.resetContext('t1')).toBe(6);
		expect(await sessions.listTurns('t1')).toEqual([]);
		expect(await sessions.listTurns('t1', { includeExcluded: true })).toHaveLength(6);
		await ask(sessions, 'm9', 'fresh start');
		expect(contents(await sessions.listTurns('t1'))).toEqual(['fresh start']);
		expect(await sessions.resetContext('t1')).toBe(1);
	});

	it('rewind drops the last exchanges, question and answer together', async () => {
		let clock = 1_000;
		const { sessions } = h.stores(() => (clock += 1));
		await conversation(sessions, 3);
		expect(await sessions.rewind('t1', 2)).toBe(2);
		expect(contents(await sessions.listTurns('t1'))).toEqual(['question 0', 'answer 0']);
		const excluded = (await sessions.listTurns('t1', { includeExcluded: true })).filter(
			(turn) => turn.excludedAt !== undefined,
		);
		expect(contents(excluded)).toEqual(['question 1', 'answer 1', 'question 2', 'answer 2']);
		expect(await sessions.rewind('t1', 5)).toBe(1);
		expect(await sessions.rewind('t1', 1)).toBe(0);
	});

	it('knows who takes part: the creator and everyone who wrote', async () => {
		const { sessions } = h.stores();
		await conversation(sessions, 1);
		await sessions.appendUserTurn({ ...user('m9', 'hi', 'Bob'), authorId: 'bob' });
		expect(await sessions.isParticipant('t1', 'u1')).toBe(true);
		expect(await sessions.isParticipant('t1', 'bob')).toBe(true);
		expect(await sessions.isParticipant('t1', 'carol')).toBe(false);
		expect(await sessions.isParticipant('other-thread', 'u1')).toBe(false);
	});

	it('treats a question as answered once a reply to it or to a later question exists', async () => {
		const { sessions } = h.stores();
		await sessions.ensureSession(SESSION);
		const first = await ask(sessions, 'm1', 'first');
		const second = await ask(sessions, 'm2', 'second');
		expect(await sessions.isAnswered(first)).toBe(false);
		await answer(sessions, second.id, 'answers both');
		expect(await sessions.isAnswered(first)).toBe(true);
		expect(await sessions.isAnswered(second)).toBe(true);
	});

	it('knows the newest member message and the latest question in the context', async () => {
		const { sessions } = h.stores();
		await sessions.ensureSession(SESSION);
		expect(await sessions.lastMemberMessageId('t1')).toBeUndefined();
		await ask(sessions, '100', 'one');
		const two = await ask(sessions, '200', 'two');
		await answer(sessions, two.id, 'reply');
		expect(await sessions.lastMemberMessageId('t1')).toBe('200');
		expect((await sessions.latestUserTurn('t1'))?.content).toBe('two');
		await sessions.resetContext('t1');
		expect(await sessions.latestUserTurn('t1')).toBeUndefined();
		expect(await sessions.lastMemberMessageId('t1')).toBe('200');
	});

	it('lists the sessions active since a time and those of a channel, leaving deleted threads out', async () => {
		let clock = 1_000;
		const { sessions } = h.stores(() => clock);
		await sessions.ensureSession(SESSION);
		clock = 5_000;
		await sessions.ensureSession({ ...SESSION, threadId: 't2' });
		await sessions.ensureSession({ ...SESSION, threadId: 't3', parentChannelId: 'c2' });
		await sessions.appendUserTurn({ ...user('m1', 'hi'), threadId: 't2' });
		clock = 6_000;
		await sessions.setCharactersPerToken('t2', 3.5);
		expect((await sessions.activeSessions(2_000)).map((active) => active.threadId).sort()).toEqual(['t2', 't3']);
		expect((await sessions.sessionsIn('c1')).map((active) => active.threadId).sort()).toEqual(['t1', 't2']);
		await sessions.markSessionDeleted('t3');
		expect((await sessions.activeSessions(0)).map((active) => active.threadId)).toEqual(['t2', 't1']);
		await sessions.markSessionDeleted('t2');
		expect(await sessions.getSession('t2')).toMatchObject({ deletedAt: 6_000, charactersPerToken: 3.5 });
		expect((await sessions.activeSessions(0)).map((active) => active.threadId)).toEqual(['t1']);
		expect((await sessions.sessionsIn('c1')).map((active) => active.threadId)).toEqual(['t1']);
	});

	it('keeps a question and its answer apart from other threads', async () => {
		const { sessions } = h.stores();
		await conversation(sessions, 1);
		await sessions.ensureSession({ ...SESSION, threadId: 't2' });
		const other = await sessions.appendUserTurn({ ...user('x1', 'elsewhere'), threadId: 't2' });
		await sessions.appendModelTurn(author(other!.id, 't2'), ending(other!.id, 'there'));
		expect(contents(await sessions.listTurns('t2'))).toEqual(['elsewhere', 'there']);
		expect(await sessions.findByDiscordMessage('x1')).toMatchObject({ threadId: 't2', content: 'elsewhere' });
	});
});
