import { describe, expect, it } from 'vitest';
import { joinParts } from '../../src/reply/join-parts.js';
import { botContents, mention, waitForReplies } from '../support/conversation.js';
import { useTestBot } from '../support/use-test-bot.js';

const start = useTestBot();

const longAnswer = (seed: number) =>
	Array.from({ length: 40 }, (_, n) => `Paragraph ${n} of answer ${seed}: ${'words that keep coming '.repeat(8)}\n\n`);

function mostWithin(times: readonly number[], windowMs: number): number {
	let most = 0;
	for (const [index, start] of times.entries()) {
		most = Math.max(most, times.slice(index).filter((at) => at - start < windowMs).length);
	}
	return most;
}

describe('writing to Discord under load', () => {
	it('gets no 429 from limits Discord does not advertise, with several long replies streaming at once', async () => {
		const t = await start({ STREAM_EDIT_INTERVAL_MS: '1000', GEMINI_CONCURRENCY: '6', GEMINI_USER_QUEUE_MAX: '10' });
		t.discord.setMessageRateLimit({ limit: 5, windowMs: 5_000, advertise: false });
		t.discord.setGlobalRateLimit({ limit: 50, windowMs: 1_000, advertise: false });
		const answers = [1, 2, 3, 4, 5, 6].map(longAnswer);
		for (const chunks of answers) t.gemini.enqueue({ kind: 'reply', chunks, chunkDelayMs: 60 });
		const threads = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => mention(t, `question ${n}`)));
		await Promise.all(threads.map(({ thread }) => waitForReplies(t, thread.id, 1, 30_000)));

		expect(t.discord.stats.served429).toBe(0);
		for (const { thread } of threads) {
			const text = joinParts(botContents(t, thread.id));
			expect(answers.map((chunks) => chunks.join(''))).toContain(text);
			// Discord limits a channel's creates and its edits separately: at most 5 of each in any 5 s.
			for (const method of ['POST', 'PATCH']) {
				const times = t.discord.requests
					.filter((request) => request.method === method && request.path.startsWith(`/channels/${thread.id}/messages`))
					.map((request) => request.at);
				expect(mostWithin(times, 5_000)).toBeLessThanOrEqual(5);
			}
		}
	}, 40_000);
});
