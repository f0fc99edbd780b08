import { describe, expect, it } from 'vitest';
import { buildContents, buildSystemInstruction, DEFAULT_PERSONA } from '../../src/chat/build-prompt.js';
import type { StoredTurn } from '../../src/store/session-store.js';
import { storedTurn } from '../support/stored-turn.js';

let nextId = 1;
const turn = (
	role: 'user' | 'model',
	content: string,
	authorName = role === 'user' ? 'Alice' : 'gemthread',
): StoredTurn => storedTurn({ id: nextId++, role, content, authorName });

describe('buildContents', () => {
	it('names each speaker on user turns and keeps model turns verbatim, in order', () => {
		expect(
			buildContents([turn('user', 'hi'), turn('model', 'Hello!'), turn('user', 'and me?', 'Bob')], 10_000),
		).toEqual([
			{ role: 'user', text: 'Alice: hi' },
			{ role: 'model', text: 'Hello!' },
			{ role: 'user', text: 'Bob: and me?' },
		]);
	});

	it('merges consecutive turns of one role and skips empty failed replies', () => {
		expect(buildContents([turn('user', 'one'), turn('model', ''), turn('user', 'two', 'Bob')], 10_000)).toEqual([
			{ role: 'user', text: 'Alice: one\n\nBob: two' },
		]);
	});

	it('drops the oldest turns beyond the token budget but always keeps the newest', () => {
		const turns = [turn('user', 'a'.repeat(400)), turn('model', 'b'.repeat(400)), turn('user', 'c'.repeat(100))];
		const contents = buildContents(turns, 150);
		expect(contents).toEqual([{ role: 'user', text: `Alice: ${'c'.repeat(100)}` }]);
		expect(buildContents([turn('user', 'x'.repeat(10_000))], 10)).toHaveLength(1);
	});

	it('starts the conversation with a user turn', () => {
		const contents = buildContents([turn('user', 'a'.repeat(800)), turn('model', 'short'), turn('user', 'q')], 10);
		expect(contents[0]?.role).toBe('user');
	});
});

describe('buildSystemInstruction', () => {
	const context = {
		botName: 'gemthread',
		guildName: 'Cozy Server',
		channelName: 'general',
		threadName: 'Rust questions',
		now: new Date('2026-11-21T10:00:00Z'),
		persona: undefined,
	};

	it('tells the model where it is talking, the date and how speakers are marked', () => {
		const instruction = buildSystemInstruction(context);
		expect(instruction.startsWith(DEFAULT_PERSONA)).toBe(true);
		expect(instruction).toContain('"gemthread"');
		expect(instruction).toContain('the thread "Rust questions" in #general');
		expect(instruction).toContain('"Cozy Server"');
		expect(instruction).toContain('Today is 2026-11-21');
		expect(instruction).toContain('Discord');
		expect(instruction).toContain("speaker's display name");
	});

	it('puts the persona first when one is set', () => {
		const instruction = buildSystemInstruction({ ...context, persona: 'You are a pirate.', threadName: undefined });
		expect(instruction.startsWith('You are a pirate.')).toBe(true);
		expect(instruction).not.toContain(DEFAULT_PERSONA);
		expect(instruction).toContain('the channel #general');
	});
});
