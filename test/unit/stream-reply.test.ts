import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { splitMessage } from '../../src/reply/split-message.js';
import { ReplyTargetGone } from '../../src/reply/reply-target.js';
import { withEnding, withNote } from '../../src/reply/reply-text.js';
import { createReplyStream } from '../../src/reply/stream-reply.js';
import { createFakeReplyTarget } from '../support/fake-reply-target.js';
import { roomyBudget } from '../support/roomy-limits.js';
import { silentLogger } from '../support/silent-logger.js';

const budgetOf = roomyBudget;
const options = { minEditIntervalMs: 1_000, logger: silentLogger, budget: budgetOf() };

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
				...message,
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
		const finished = reply.finish({ note: 'Gemini stopped.' });
		await vi.advanceTimersByTimeAsync(1_000);
		await finished;
		expect(fake.contents()).toEqual(['```js\nconst a = 1;\n```\n\n⚠️ Gemini stopped.']);
	});

	it('shows only the note when no text arrived', async () => {
		const fake = createFakeReplyTarget();
		const reply = createReplyStream(fake.target, options);
		await reply.finish({ note: 'Gemini is overloaded.' });
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

	it('starts typing only when the first text is more than a second away, and stops once it is sent', async () => {
		const fake = createFakeReplyTarget();
		const reply = createReplyStream(fake.target, options);
		await vi.advanceTimersByTimeAsync(999);
		expect(fake.typingCount).toBe(0);
		// At 1 s, then every 8 s.
		await vi.advanceTimersByTimeAsync(16_600);
		expect(fake.typingCount).toBe(3);
		reply.append('hi');
		await vi.advanceTimersByTimeAsync(20_000);
		expect(fake.typingCount).toBe(3);
		await Promise.all([reply.finish(), vi.advanceTimersByTimeAsync(1_000)]);
	});

	it('shows no typing at all when the first text comes within a second', async () => {
		const fake = createFakeReplyTarget();
		const reply = createReplyStream(fake.target, options);
		await vi.advanceTimersByTimeAsync(500);
		reply.append('fast');
		await vi.advanceTimersByTimeAsync(5_000);
		await reply.finish();
		expect(fake.typingCount).toBe(0);
	});

	it('makes the final edit as soon as the stream ends, not an edit interval later', async () => {
		const fake = createFakeReplyTarget();
		const reply = createReplyStream(fake.target, options);
		reply.append('first');
		await vi.advanceTimersByTimeAsync(10);
		reply.append(' and last');
		const before = Date.now();
		await reply.finish();
		expect(fake.contents()).toEqual(['first and last']);
		expect(fake.writes.at(-1)!.at - before).toBe(0);
	});

	it('shows the first text at once even right after a status line', async () => {
		const fake = createFakeReplyTarget();
		const reply = createReplyStream(fake.target, options);
		reply.setStatus('⏳ waiting');
		await vi.advanceTimersByTimeAsync(10);
		reply.append('Answer begins');
		await vi.advanceTimersByTimeAsync(10);
		expect(fake.contents()).toEqual(['Answer begins']);
		expect(fake.writes[1]!.at - fake.writes[0]!.at).toBeLessThan(100);
		await reply.finish();
	});

	it('writes text that arrives with the end of the stream once, as the final text', async () => {
		const fake = createFakeReplyTarget();
		const reply = createReplyStream(fake.target, options);
		reply.append('Everything at once.');
		await reply.finish();
		expect(fake.writes.map((write) => [write.kind, write.state.live])).toEqual([['send', false]]);
	});

	it("leaves the channel's last edit slot to the final edit when streaming edits use up the budget", async () => {
		const budget = budgetOf({ perChannel: { limit: 3, windowMs: 10_000 } });
		const fake = createFakeReplyTarget();
		const reply = createReplyStream(fake.target, { ...options, budget });
		for (let n = 0; n < 8; n += 1) {
			reply.append(`${n} `);
			await vi.advanceTimersByTimeAsync(1_000);
		}
		// One send (creates count apart) and two edits so far: the third edit slot waits for an urgent write.
		expect(fake.writes.map((write) => write.kind)).toEqual(['send', 'edit', 'edit']);
		const before = Date.now();
		await reply.finish();
		expect(fake.writes).toHaveLength(4);
		expect(fake.writes[3]!.at).toBe(before);
		expect(fake.contents()).toEqual(['0 1 2 3 4 5 6 7 ']);
	});

	it('stops writing once the target is gone, and says so once', async () => {
		const fake = createFakeReplyTarget();
		const onGone = vi.fn();
		const send = fake.target.send.bind(fake.target);
		fake.target.send = async (state) => ({
			...(await send(state)),
			edit: () => Promise.reject(new ReplyTargetGone('forbidden')),
		});
		const reply = createReplyStream(fake.target, { ...options, onGone });
		reply.append('visible');
		await vi.advanceTimersByTimeAsync(10);
		for (let n = 0; n < 5; n += 1) {
			reply.append(' more');
			await vi.advanceTimersByTimeAsync(1_500);
		}
		await reply.finish({ note: 'never shown' });
		expect(onGone).toHaveBeenCalledTimes(1);
		expect(onGone).toHaveBeenCalledWith('forbidden');
		expect(reply.gone).toBe('forbidden');
		expect(fake.writes.map((write) => write.kind)).toEqual(['send']);
	});

	it('reports each write with the message ids and the text they show', async () => {
		const fake = createFakeReplyTarget();
		const onWritten = vi.fn();
		const reply = createReplyStream(fake.target, { ...options, onWritten });
		reply.setStatus('⏳ waiting');
		await vi.advanceTimersByTimeAsync(10);
		reply.append('Hello');
		await reply.finish();
		expect(onWritten.mock.calls.map(([progress]) => progress as unknown)).toEqual([
			{ messageIds: ['m0'], text: '' },
			{ messageIds: ['m0'], text: 'Hello' },
		]);
	});

	it('deletes what it posted when the reply is withdrawn', async () => {
		const fake = createFakeReplyTarget();
		const reply = createReplyStream(fake.target, options);
		reply.setStatus('⏳ waiting');
		await vi.advanceTimersByTimeAsync(10);
		await reply.discard();
		expect(fake.contents()).toEqual(['']);
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
	it('adds a footer line under the text and note', () => {
		expect(withEnding('text', { footer: '-# by flash' })).toBe('text\n-# by flash');
		expect(withEnding('text', { note: 'cut', footer: '-# by flash' })).toBe('text\n\n⚠️ cut\n-# by flash');
	});

	it('separates the note from the text by a blank line', () => {
		expect(withNote('text', 'note')).toBe('text\n\n⚠️ note');
		expect(withNote('text', undefined)).toBe('text');
		expect(withNote('```\ncode\n', 'note')).toBe('```\ncode\n```\n\n⚠️ note');
	});
});
