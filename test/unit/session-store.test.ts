import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIRECTORY, migrate } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open-database.js';
import type { NewModelTurn } from '../../src/store/session-store.js';
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
const answer = (replyToId: number, content: string): NewModelTurn => ({
	threadId: 't1',
	replyToId,
	authorId: 'bot',
	authorName: 'gemthread',
	content,
	discordMessageId: `reply-${replyToId}`,
	status: 'complete',
	finishReason: 'STOP',
	errorCode: undefined,
	model: 'gemini-2.5-flash',
	usage,
});

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
		const reply = store.appendModelTurn({
			...answer(question!.id, 'partial text'),
			status: 'partial',
			errorCode: 'unavailable',
		});
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
		store.appendModelTurn(answer(first.id, 'answer one'));
		store.appendModelTurn(answer(second.id, 'answer two'));
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
			store.appendModelTurn(answer(question.id, `answer ${n}`));
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
