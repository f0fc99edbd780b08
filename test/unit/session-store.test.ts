import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIRECTORY, migrate } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open-database.js';
import type { ReplyEnding } from '../../src/store/reply-turn-store.js';
import type { SessionStore } from '../../src/store/session-store.js';
import { createSessionStore } from '../../src/store/session-store.js';
import { openTestDatabase } from '../support/test-database.js';

const session = { threadId: 't1', guildId: 'g1', parentChannelId: 'c1', creatorId: 'u1', owned: true };
const usage = { promptTokens: 10, outputTokens: 5, thoughtsTokens: 2, totalTokens: 17 };
const user = (id: string, content: string, authorName = 'Alice') => ({
	threadId: 't1',
	authorId: 'u1',
	authorName,
	content,
	discordMessageId: id,
});
const author = (replyToId: number) => ({
	threadId: 't1',
	replyToId,
	authorId: 'bot',
	authorName: 'gemthread',
	model: 'gemini-2.5-flash',
});
const ending = (replyToId: number, content: string, overrides: Partial<ReplyEnding> = {}): ReplyEnding => ({
	content,
	replyMessageIds: [`reply-${replyToId}`],
	status: 'complete',
	finishReason: 'STOP',
	errorCode: undefined,
	model: 'gemini-2.5-flash',
	usage,
	...overrides,
});
const answer = (store: SessionStore, replyToId: number, content: string, overrides: Partial<ReplyEnding> = {}) =>
	store.appendModelTurn(author(replyToId), ending(replyToId, content, overrides));

const directories: string[] = [];
afterEach(() => {
	for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe('session store', () => {
	it('creates a session once and returns the stored one afterwards', () => {
		let clock = 1_000;
		const store = createSessionStore(openTestDatabase(), () => clock);
		expect(store.getSession('t1')).toBeUndefined();
		expect(store.ensureSession(session)).toEqual({ ...session, createdAt: 1_000, updatedAt: 1_000 });
		clock = 2_000;
		expect(store.ensureSession({ ...session, creatorId: 'someone-else' }).creatorId).toBe('u1');
	});

	it('stores each Discord message once: a replayed event adds no second turn', () => {
		const store = createSessionStore(openTestDatabase());
		store.ensureSession(session);
		expect(store.appendUserTurn(user('m1', 'hello'))).toMatchObject({
			role: 'user',
			content: 'hello',
			status: undefined,
		});
		expect(store.appendUserTurn(user('m1', 'hello'))).toBeUndefined();
		expect(store.hasDiscordMessage('m1')).toBe(true);
		expect(store.listTurns('t1')).toHaveLength(1);
	});

	it('stores model turns with status, finish reason and token usage, and touches the session', () => {
		let clock = 1_000;
		const store = createSessionStore(openTestDatabase(), () => clock);
		store.ensureSession(session);
		const question = store.appendUserTurn(user('m1', 'hi'));
		clock = 5_000;
		const reply = answer(store, question!.id, 'partial text', { status: 'partial', errorCode: 'unavailable' });
		expect(reply).toMatchObject({
			role: 'model',
			replyToId: question!.id,
			status: 'partial',
			errorCode: 'unavailable',
			finishReason: 'STOP',
			model: 'gemini-2.5-flash',
			usage,
			createdAt: 5_000,
		});
		expect(store.getSession('t1')?.updatedAt).toBe(5_000);
	});

	it('lists each answer right after its question even when questions arrived first', () => {
		const store = createSessionStore(openTestDatabase());
		store.ensureSession(session);
		const first = store.appendUserTurn(user('m1', 'first'))!;
		const second = store.appendUserTurn(user('m2', 'second', 'Bob'))!;
		answer(store, first.id, 'answer one');
		answer(store, second.id, 'answer two');
		expect(store.listTurns('t1').map((turn) => turn.content)).toEqual(['first', 'answer one', 'second', 'answer two']);
		expect(store.listTurns('t1', { throughTurnId: first.id }).map((turn) => turn.content)).toEqual([
			'first',
			'answer one',
		]);
	});

	it('rejects a model turn whose status is missing and a user turn for an unknown session', () => {
		const db = openTestDatabase();
		const store = createSessionStore(db);
		expect(() => store.appendUserTurn({ ...user('m1', 'x'), threadId: 'missing' })).toThrow(/FOREIGN KEY/);
		expect(() =>
			db
				.prepare(
					"INSERT INTO messages (thread_id, role, author_id, author_name, content, created_at) VALUES ('t1', 'model', 'b', 'b', '', 0)",
				)
				.run(),
		).toThrow();
	});

	it('keeps sessions and turns in the file across a reopen', () => {
		const directory = mkdtempSync(join(tmpdir(), 'gemthread-'));
		directories.push(directory);
		const path = join(directory, 'nested', 'bot.db');
		const first = openDatabase(path);
		migrate(first, MIGRATIONS_DIRECTORY);
		createSessionStore(first).ensureSession(session);
		createSessionStore(first).appendUserTurn(user('m1', 'remember me'));
		first.close();
		const second = openDatabase(path);
		expect(migrate(second, MIGRATIONS_DIRECTORY).from).toBeGreaterThan(0);
		expect(
			createSessionStore(second)
				.listTurns('t1')
				.map((turn) => turn.content),
		).toEqual(['remember me']);
		expect(second.pragma('journal_mode', { simple: true })).toBe('wal');
		expect(second.pragma('foreign_keys', { simple: true })).toBe(1);
		second.close();
	});
});

describe('migrate', () => {
	it('applies numbered files in order once, tracking PRAGMA user_version', () => {
		const directory = mkdtempSync(join(tmpdir(), 'gemthread-migrations-'));
		directories.push(directory);
		writeFileSync(join(directory, '002_second.sql'), 'ALTER TABLE things ADD COLUMN label TEXT;');
		writeFileSync(join(directory, '001_first.sql'), 'CREATE TABLE things (id INTEGER PRIMARY KEY);');
		writeFileSync(join(directory, 'README.md'), 'not a migration');
		const db = openDatabase(':memory:');
		expect(migrate(db, directory)).toEqual({ from: 0, to: 2 });
		expect(migrate(db, directory)).toEqual({ from: 2, to: 2 });
		expect(db.prepare('SELECT label FROM things').all()).toEqual([]);
	});

	it('rolls back a failing migration entirely and keeps the previous version', () => {
		const directory = mkdtempSync(join(tmpdir(), 'gemthread-migrations-'));
		directories.push(directory);
		writeFileSync(join(directory, '001_first.sql'), 'CREATE TABLE things (id INTEGER PRIMARY KEY);');
		writeFileSync(join(directory, '002_broken.sql'), 'CREATE TABLE other (id INTEGER); THIS IS NOT SQL;');
		const db = openDatabase(':memory:');
		expect(() => migrate(db, directory)).toThrow();
		expect(db.pragma('user_version', { simple: true })).toBe(1);
		expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'other'").all()).toEqual([]);
	});

	it('refuses a database newer than the code', () => {
		const db = openDatabase(':memory:');
		db.pragma('user_version = 99');
		expect(() => migrate(db, MIGRATIONS_DIRECTORY)).toThrow(/newer than this build/);
	});

	it('ships only numbered migration files', () => {
		expect(readdirSync(MIGRATIONS_DIRECTORY).every((name) => /^\d{3}_[\w-]+\.sql$/.test(name))).toBe(true);
	});
});

describe('session store context controls', () => {
	function conversation() {
		let clock = 1_000;
		const store = createSessionStore(openTestDatabase(), () => (clock += 1));
		store.ensureSession(session);
		for (const n of [1, 2, 3]) {
			const question = store.appendUserTurn(user(`m${n}`, `question ${n}`))!;
			answer(store, question.id, `answer ${n}`);
		}
		return store;
	}

	it('reset leaves every turn stored but out of the context', () => {
		const store = conversation();
		expect(store.resetContext('t1')).toBe(6);
		expect(store.listTurns('t1')).toEqual([]);
		expect(store.listTurns('t1', { includeExcluded: true })).toHaveLength(6);
		store.appendUserTurn(user('m4', 'fresh start'));
		expect(store.listTurns('t1').map((turn) => turn.content)).toEqual(['fresh start']);
		expect(store.resetContext('t1')).toBe(1);
	});

	it('rewind drops the last exchanges, question and answer together', () => {
		const store = conversation();
		expect(store.rewind('t1', 2)).toBe(2);
		expect(store.listTurns('t1').map((turn) => turn.content)).toEqual(['question 1', 'answer 1']);
		const excluded = store.listTurns('t1', { includeExcluded: true }).filter((turn) => turn.excludedAt !== undefined);
		expect(excluded.map((turn) => turn.content)).toEqual(['question 2', 'answer 2', 'question 3', 'answer 3']);
		expect(store.rewind('t1', 5)).toBe(1);
		expect(store.rewind('t1', 1)).toBe(0);
	});

	it('knows who takes part: the creator and everyone who wrote', () => {
		const store = conversation();
		store.appendUserTurn({ ...user('m9', 'hi', 'Bob'), authorId: 'bob' });
		expect(store.isParticipant('t1', 'u1')).toBe(true);
		expect(store.isParticipant('t1', 'bob')).toBe(true);
		expect(store.isParticipant('t1', 'carol')).toBe(false);
		expect(store.isParticipant('other-thread', 'u1')).toBe(false);
	});
});

describe('reply turns', () => {
	function asked() {
		let clock = 1_000;
		const store = createSessionStore(openTestDatabase(), () => (clock += 1));
		store.ensureSession(session);
		const question = store.appendUserTurn(user('m1', 'question'))!;
		return { store, question };
	}

	it('stores a reply as streaming from its first message, then finishes it in place', () => {
		const { store, question } = asked();
		const id = store.beginReply(author(question.id), { content: '', replyMessageIds: ['r1'] });
		expect(store.streamingReplies().map((turn) => [turn.id, turn.status, turn.discordMessageId])).toEqual([
			[id, 'streaming', 'r1'],
		]);
		store.updateReply(id, { content: 'Half', replyMessageIds: ['r1', 'r2'] });
		expect(store.streamingReplies()[0]).toMatchObject({ content: 'Half', replyMessageIds: ['r1', 'r2'] });
		const finished = store.finishReply(id, ending(question.id, 'Half and whole', { replyMessageIds: ['r1', 'r2'] }));
		expect(finished).toMatchObject({ id, status: 'complete', content: 'Half and whole', usage });
		expect(store.streamingReplies()).toEqual([]);
		store.updateReply(id, { content: 'late write', replyMessageIds: ['r1'] });
		expect(store.listTurns('t1')[1]?.content).toBe('Half and whole');
	});

	it('counts a question as unanswered while its only reply was cut short by a crash or a shutdown', () => {
		const { store, question } = asked();
		const id = store.beginReply(author(question.id), { content: 'cut', replyMessageIds: ['r1'] });
		expect(store.hasFinishedAnswer(question.id)).toBe(false);
		store.finishReply(id, ending(question.id, 'cut', { status: 'partial', errorCode: 'interrupted' }));
		expect(store.hasFinishedAnswer(question.id)).toBe(false);
		expect(store.isAnswered(question)).toBe(true);
		answer(store, question.id, 'a whole answer', { replyMessageIds: ['r9'] });
		expect(store.hasFinishedAnswer(question.id)).toBe(true);
	});

	it('keeps a reply never posted to Discord without a message id', () => {
		const { store, question } = asked();
		const reply = answer(store, question.id, 'nobody saw this', { replyMessageIds: [], status: 'partial' });
		expect(reply).toMatchObject({ discordMessageId: undefined, replyMessageIds: [] });
	});
});

describe('member turns that change', () => {
	it('treats a question as answered once a reply to it or to a later question exists', () => {
		const store = createSessionStore(openTestDatabase());
		store.ensureSession(session);
		const first = store.appendUserTurn(user('m1', 'first'))!;
		const second = store.appendUserTurn(user('m2', 'second'))!;
		expect(store.isAnswered(first)).toBe(false);
		answer(store, second.id, 'answers both');
		expect(store.isAnswered(first)).toBe(true);
		expect(store.isAnswered(second)).toBe(true);
	});

	it('updates an edited turn and withdraws a deleted one with any reply begun for it', () => {
		const store = createSessionStore(openTestDatabase());
		store.ensureSession(session);
		const question = store.appendUserTurn(user('m1', 'typo'))!;
		store.updateTurnContent(question.id, 'fixed');
		expect(store.findByDiscordMessage('m1')?.content).toBe('fixed');
		store.beginReply(author(question.id), { content: '', replyMessageIds: ['status'] });
		store.withdrawTurn(question.id);
		expect(store.listTurns('t1', { includeExcluded: true })).toEqual([]);
		expect(store.hasDiscordMessage('m1')).toBe(false);
	});

	it('knows the newest member message and the latest question in the context', () => {
		const store = createSessionStore(openTestDatabase());
		store.ensureSession(session);
		expect(store.lastMemberMessageId('t1')).toBeUndefined();
		store.appendUserTurn(user('100', 'one'));
		const two = store.appendUserTurn(user('200', 'two'))!;
		answer(store, two.id, 'reply');
		expect(store.lastMemberMessageId('t1')).toBe('200');
		expect(store.latestUserTurn('t1')?.content).toBe('two');
		store.resetContext('t1');
		expect(store.latestUserTurn('t1')).toBeUndefined();
		expect(store.lastMemberMessageId('t1')).toBe('200');
	});

	it('lists the sessions active since a time, leaving deleted threads out', () => {
		let clock = 1_000;
		const store = createSessionStore(openTestDatabase(), () => clock);
		store.ensureSession(session);
		clock = 5_000;
		store.ensureSession({ ...session, threadId: 't2' });
		store.appendUserTurn({ ...user('m1', 'hi'), threadId: 't2' });
		expect(store.activeSessions(2_000).map((active) => active.threadId)).toEqual(['t2']);
		expect(store.activeSessions(0).map((active) => active.threadId)).toEqual(['t2', 't1']);
		store.markSessionDeleted('t2');
		expect(store.getSession('t2')?.deletedAt).toBe(5_000);
		expect(store.activeSessions(0).map((active) => active.threadId)).toEqual(['t1']);
	});
});

describe('context read newest first', () => {
	function longThread(turns: number) {
		const db = openTestDatabase();
		const store = createSessionStore(db);
		store.ensureSession(session);
		db.transaction(() => {
			for (let n = 0; n < turns; n += 1) {
				const question = store.appendUserTurn(user(`q${n}`, `question ${n}`))!;
				answer(store, question.id, `answer ${n}`);
			}
		})();
		return { db, store };
	}

	it('yields each answer right after its question, newest first, leaving excluded turns out', () => {
		const { store } = longThread(3);
		store.rewind('t1', 1);
		const last = store.latestUserTurn('t1')!;
		expect([...store.contextNewestFirst('t1', last.id)].map((turn) => turn.content)).toEqual([
			'answer 1',
			'question 1',
			'answer 0',
			'question 0',
		]);
	});

	it('reads through the index in its order, so stopping early reads nothing older', () => {
		const { db } = longThread(1);
		const plan = db
			.prepare(
				`EXPLAIN QUERY PLAN SELECT * FROM messages WHERE thread_id = ? AND coalesce(reply_to_id, id) > ?
				 AND coalesce(reply_to_id, id) <= ? AND excluded_at IS NULL
				 ORDER BY coalesce(reply_to_id, id) DESC, role = 'model' DESC, id DESC`,
			)
			.all('t1', 2, 10) as { detail: string }[];
		const details = plan.map((step) => step.detail).join('\n');
		expect(details).toContain('USING INDEX messages_in_context');
		expect(details).not.toContain('TEMP B-TREE');
	});
});

describe('migration 003', () => {
	it('upgrades a database of the previous version in place, keeping every turn', () => {
		const directory = mkdtempSync(join(tmpdir(), 'gemthread-upgrade-'));
		directories.push(directory);
		const previous = join(directory, 'migrations');
		mkdirSync(previous);
		for (const name of readdirSync(MIGRATIONS_DIRECTORY).filter((file) => /^00[12]_/.test(file))) {
			copyFileSync(join(MIGRATIONS_DIRECTORY, name), join(previous, name));
		}
		const db = openDatabase(join(directory, 'bot.db'));
		migrate(db, previous);
		db.exec(`INSERT INTO sessions VALUES ('t1', 'g1', 'c1', 'u1', 1, 1, 1);
			INSERT INTO messages (id, thread_id, role, author_id, author_name, content, discord_message_id, created_at)
			VALUES (1, 't1', 'user', 'u1', 'Alice', 'old question', 'm1', 1);
			INSERT INTO messages (id, thread_id, role, author_id, author_name, content, discord_message_id, reply_to_id,
				status, model, created_at)
			VALUES (2, 't1', 'model', 'bot', 'gemthread', 'old answer', 'r1', 1, 'complete', 'gemini-2.5-flash', 2);`);

		expect(migrate(db, MIGRATIONS_DIRECTORY)).toMatchObject({ from: 2 });
		const store = createSessionStore(db);
		expect(store.listTurns('t1').map((turn) => [turn.content, turn.replyMessageIds])).toEqual([
			['old question', []],
			['old answer', ['r1']],
		]);
		expect(store.getSession('t1')?.deletedAt).toBeUndefined();
		const id = store.beginReply(author(1), { content: '', replyMessageIds: ['r2'] });
		expect(store.streamingReplies().map((turn) => turn.id)).toEqual([id]);
		expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
		expect(db.pragma('foreign_key_check')).toEqual([]);
		db.close();
	});
});
