import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { splitMessage } from '../../src/discord/split-message.js';
import { createReplyStream, withNote } from '../../src/discord/stream-reply.js';
import { createFakeReplyTarget } from '../support/fake-reply-target.js';
import { silentLogger } from '../support/silent-logger.js';

const options = { minEditIntervalMs: 1_000, logger: silentLogger };

beforeEach(() => {
	vi.useFakeTimers();
});
afterEach(() => {
	vi.useRealTimers();
});

describe('createReplyStream', () => {
	it('sends the first message as soon as the first text arrives', async () => {
		const fake = createFakeReplyTarget();
		const reply = createReplyStream(fake.target, options);
		reply.append('Hel');
		await vi.advanceTimersByTimeAsync(0);
		expect(fake.contents()).toEqual(['Hel']);
		await Promise.all([reply.finish(), vi.advanceTimersByTimeAsync(1_000)]);
	});

	it('coalesces text into at most one edit per interval and skips edits that change nothing', async () => {
		const fake = createFakeReplyTarget();
		const reply = createReplyStream(fake.target, options);
		for (let n = 0; n < 50; n += 1) {
			reply.append(`${n} `);
			await vi.advanceTimersByTimeAsync(100);
		}
		await vi.advanceTimersByTimeAsync(3_000);
		const finished = reply.finish();
		await vi.advanceTimersByTimeAsync(1_000);
		const { messageIds } = await finished;
		const times = fake.writes.map((write) => write.at);
		for (let index = 1; index < times.length; index += 1) {
			expect(times[index]! - times[index - 1]!).toBeGreaterThanOrEqual(1_000);
		}
		expect(fake.writes.length).toBeLessThanOrEqual(7);
		const shown = fake.writes.map((write) => `${write.state.content}|${write.state.live}`);
		expect(new Set(shown).size).toBe(shown.length);
		expect(messageIds).toEqual(['m0']);
		expect(fake.contents()).toEqual([Array.from({ length: 50 }, (_, n) => `${n} `).join('')]);
	});

	it('schedules the next write only after the previous one resolved', async () => {
		const fake = createFakeReplyTarget({ latencyMs: 2_500 });
		const reply = createReplyStream(fake.target, options);
		let active = 0;
		let maxActive = 0;
		const send = fake.target.send.bind(fake.target);
		fake.target.send = async (state) => {
			active += 1;
			maxActive = Math.max(maxActive, active);
			const message = await send(state);
			active -= 1;
			const edit = message.edit.bind(message);
			return {
				id: message.id,
				edit: async (next) => {
					active += 1;
					maxActive = Math.max(maxActive, active);
					await edit(next);
					active -= 1;
				},
			};
		};
		for (let n = 0; n < 20; n += 1) {
			reply.append('word ');
			await vi.advanceTimersByTimeAsync(300);
		}
		const finished = reply.finish();
		await vi.advanceTimersByTimeAsync(20_000);
		await finished;
		expect(maxActive).toBe(1);
		expect(fake.contents()).toEqual(['word '.repeat(20)]);
	});

	it('continues in a new message past 2,000 characters and ends with exactly the split text', async () => {
		const fake = createFakeReplyTarget();
		const reply = createReplyStream(fake.target, options);
		const text = Array.from({ length: 40 }, (_, n) => `Paragraph ${n}: ${'detail '.repeat(20)}`).join('\n\n');
		for (let index = 0; index < text.length; index += 97) {
			reply.append(text.slice(index, index + 97));
			await vi.advanceTimersByTimeAsync(50);
		}
		const finished = reply.finish();
		await vi.advanceTimersByTimeAsync(2_000);
		const { messageIds } = await finished;
		expect(fake.contents()).toEqual(splitMessage(text));
		expect(messageIds).toHaveLength(splitMessage(text).length);
		for (const write of fake.writes) expect(write.state.content.length).toBeLessThanOrEqual(2_000);
	});

	it('marks only the last message live while streaming and none at the end', async () => {
		const fake = createFakeReplyTarget();
		const reply = createReplyStream(fake.target, options);
		reply.append(`${'a '.repeat(1_100)}\n\n${'b '.repeat(10)}`);
		await vi.advanceTimersByTimeAsync(0);
		expect(fake.writes.map((write) => [write.kind, write.messageIndex, write.state.live])).toEqual([
			['send', 0, false],
			['send', 1, true],
		]);
		const finished = reply.finish();
		await vi.advanceTimersByTimeAsync(1_000);
		await finished;
		expect(fake.writes.slice(2).map((write) => [write.kind, write.messageIndex, write.state.live])).toEqual([
			['edit', 1, false],
		]);
	});

	it('appends the note to the final text, outside an open code block', async () => {
		const fake = createFakeReplyTarget();
		const reply = createReplyStream(fake.target, options);
		reply.append('```js\nconst a = 1;');
		await vi.advanceTimersByTimeAsync(0);
		const finished = reply.finish('Gemini stopped.');
		await vi.advanceTimersByTimeAsync(1_000);
		await finished;
		expect(fake.contents()).toEqual(['```js\nconst a = 1;\n```\n\n⚠️ Gemini stopped.']);
	});

	it('shows only the note when no text arrived', async () => {
		const fake = createFakeReplyTarget();
		const reply = createReplyStream(fake.target, options);
		await reply.finish('Gemini is overloaded.');
		expect(fake.contents()).toEqual(['⚠️ Gemini is overloaded.']);
	});

	it('shows a status line until the first text replaces it', async () => {
		const fake = createFakeReplyTarget();
		const reply = createReplyStream(fake.target, options);
		reply.setStatus('⏳ Gemini is busy; trying again in 5 s…');
		await vi.advanceTimersByTimeAsync(0);
		expect(fake.contents()).toEqual(['⏳ Gemini is busy; trying again in 5 s…']);
		reply.append('Answer');
		const finished = reply.finish();
		await vi.advanceTimersByTimeAsync(1_000);
		await finished;
		expect(fake.contents()).toEqual(['Answer']);
	});

	it('keeps typing while waiting and stops once the first message is sent', async () => {
		const fake = createFakeReplyTarget();
		const reply = createReplyStream(fake.target, options);
		expect(fake.typingCount).toBe(1);
		await vi.advanceTimersByTimeAsync(16_500);
		expect(fake.typingCount).toBe(3);
		reply.append('hi');
		await vi.advanceTimersByTimeAsync(20_000);
		expect(fake.typingCount).toBe(3);
		await Promise.all([reply.finish(), vi.advanceTimersByTimeAsync(1_000)]);
	});

	it('posts the final text again when the final edit fails (the message was deleted)', async () => {
		const fake = createFakeReplyTarget({ failEdits: true });
		const reply = createReplyStream(fake.target, options);
		reply.append('first');
		await vi.advanceTimersByTimeAsync(0);
		reply.append(' and last');
		const finished = reply.finish();
		await vi.advanceTimersByTimeAsync(2_000);
		const { messageIds } = await finished;
		expect(fake.contents()).toEqual(['first', 'first and last']);
		expect(messageIds).toEqual(['m1']);
	});
});

describe('withNote', () => {
	it('separates the note from the text by a blank line', () => {
		expect(withNote('text', 'note')).toBe('text\n\n⚠️ note');
		expect(withNote('text', undefined)).toBe('text');
		expect(withNote('```\ncode\n', 'note')).toBe('```\ncode\n```\n\n⚠️ note');
	});
});
