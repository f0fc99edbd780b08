import { describe, expect, it } from 'vitest';
import { botContents, mention, waitForReplies } from '../support/conversation.js';
import { storedAnywhere } from '../support/stored-anywhere.js';
import { useTestBot } from '../support/use-test-bot.js';

const start = useTestBot();

describe('model failures', () => {
	it('waits the retryDelay of a 429, then answers', async () => {
		const t = await start();
		t.gemini.enqueue(
			{ kind: 'http-error', status: 429, retryDelay: '1.2s' },
			{ kind: 'reply', chunks: ['Worth the wait.'] },
		);
		const { thread } = await mention(t, 'hello');
		const turns = await waitForReplies(t, thread.id, 1);

		const [first, second] = t.gemini.requests;
		expect(t.gemini.requests).toHaveLength(2);
		expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(1_150);
		expect(botContents(t, thread.id)).toEqual(['Worth the wait.']);
		const [reply] = t.discord.messagesIn(thread.id);
		expect(reply?.versions[0]).toMatch(/Gemini is busy; trying again in 1 s/);
		expect(turns[1]).toMatchObject({ status: 'complete', content: 'Worth the wait.' });
	});

	it('retries a 503 before the first chunk, then answers', async () => {
		const t = await start();
		t.gemini.enqueue({ kind: 'http-error', status: 503 }, { kind: 'reply', chunks: ['Back again.'] });
		const { thread } = await mention(t, 'hello');
		await waitForReplies(t, thread.id, 1);
		expect(t.gemini.requests).toHaveLength(2);
		expect(botContents(t, thread.id)).toEqual(['Back again.']);
	});

	it('shows a 400 as a short error without retrying, and stores the failed turn', async () => {
		const t = await start();
		t.gemini.enqueue({ kind: 'http-error', status: 400, message: 'Request contains an invalid argument.' });
		const { thread } = await mention(t, 'something odd');
		const turns = await waitForReplies(t, thread.id, 1);

		expect(t.gemini.requests).toHaveLength(1);
		expect(botContents(t, thread.id)).toEqual([
			'⚠️ Gemini could not process this request. Try rephrasing your message, or start a new thread.',
		]);
		expect(turns.map((turn) => [turn.role, turn.status, turn.errorCode])).toEqual([
			['user', undefined, undefined],
			['model', 'error', 'bad-request'],
		]);
	});

	it('tells the user when the daily quota is used up and when it resets, without retrying', async () => {
		const t = await start();
		t.gemini.enqueue({ kind: 'per-day-429' });
		const { thread } = await mention(t, 'hello');
		await waitForReplies(t, thread.id, 1);
		expect(t.gemini.requests).toHaveLength(1);
		const reset = /<t:(\d+):t>, <t:\1:R>/.exec(botContents(t, thread.id)[0] ?? '');
		expect(botContents(t, thread.id)[0]).toMatch(/used up its Gemini quota for today\. It resets at midnight Pacific/);
		const hoursAway = (Number(reset?.[1]) * 1_000 - Date.now()) / 3_600_000;
		expect(hoursAway).toBeGreaterThan(0);
		expect(hoursAway).toBeLessThanOrEqual(24);

		// Until the quota is checked again, the next question is answered at once without calling Gemini.
		await t.discord.userSays(thread.id, t.discord.users.alice, 'still there?');
		await waitForReplies(t, thread.id, 2);
		expect(t.gemini.requests).toHaveLength(1);
		expect(botContents(t, thread.id)[1]).toMatch(/used up its Gemini quota for today/);
	});

	it('keeps the partial text with a note after a mid-stream failure, and the next message works', async () => {
		const t = await start();
		t.gemini.enqueue(
			{ kind: 'sse-error-after', chunks: ['The first half ', 'of an answer'], status: 503 },
			{ kind: 'reply', chunks: ['A full answer.'] },
		);
		const { thread } = await mention(t, 'tell me something');
		const turns = await waitForReplies(t, thread.id, 1);

		expect(t.gemini.requests).toHaveLength(1);
		expect(botContents(t, thread.id)[0]).toBe(
			'The first half of an answer\n\n⚠️ This answer is incomplete: Gemini became unavailable. Send a message to continue.',
		);
		expect(turns[1]).toMatchObject({
			status: 'partial',
			content: 'The first half of an answer',
			errorCode: 'unavailable',
		});

		await t.discord.userSays(thread.id, t.discord.users.alice, 'go on');
		await waitForReplies(t, thread.id, 2);
		expect(botContents(t, thread.id)[1]).toBe('A full answer.');
		expect(t.gemini.requests[1]?.contents.map((content) => content.text)).toEqual([
			'Alice: tell me something',
			'The first half of an answer',
			'Alice: go on',
		]);
	});

	it('keeps the partial text when the connection drops mid-stream', async () => {
		const t = await start();
		t.gemini.enqueue({ kind: 'drop-after', chunks: ['Cut ', 'off'], chunkDelayMs: 30 });
		const { thread } = await mention(t, 'hello');
		const turns = await waitForReplies(t, thread.id, 1);
		expect(turns[1]).toMatchObject({ status: 'partial', errorCode: 'network', content: 'Cut off' });
		expect(botContents(t, thread.id)[0]).toMatch(
			/^Cut off\n\n⚠️ This answer is incomplete: the connection to Gemini was lost/,
		);
	});

	it('gives up on a model that stops sending, and aborts the request', async () => {
		const t = await start({ GEMINI_IDLE_TIMEOUT_MS: '400' });
		t.gemini.enqueue({ kind: 'hang-after', chunks: ['Waiting '] });
		const { thread } = await mention(t, 'hello');
		const turns = await waitForReplies(t, thread.id, 1);
		expect(turns[1]).toMatchObject({ status: 'partial', errorCode: 'timeout' });
		expect(botContents(t, thread.id)[0]).toMatch(/^Waiting \n\n⚠️ This answer is incomplete: Gemini stopped sending/);
		expect(t.gemini.stats.clientAborts).toBe(1);
	});

	it('says so when Gemini blocks the prompt', async () => {
		const t = await start();
		t.gemini.enqueue({ kind: 'blocked-prompt', blockReason: 'SAFETY' });
		const { thread } = await mention(t, 'something unsafe');
		const turns = await waitForReplies(t, thread.id, 1);
		expect(turns[1]).toMatchObject({ status: 'error', errorCode: 'blocked:SAFETY' });
		expect(botContents(t, thread.id)[0]).toBe(
			'⚠️ Gemini declined to answer this message (blocked: SAFETY). Try rephrasing it.',
		);
	});

	it('reports a wrong API key to the server admin without retrying', async () => {
		const t = await start({ GEMINI_API_KEY: 'wrong-key' });
		const { thread } = await mention(t, 'hello');
		await waitForReplies(t, thread.id, 1);
		expect(t.gemini.requests).toHaveLength(1);
		expect(botContents(t, thread.id)[0]).toMatch(/GEMINI_API_KEY/);
	});

	it('never writes the secrets to the logs or the database', async () => {
		const t = await start({ GEMINI_API_KEY: 'wrong-key' });
		const { thread } = await mention(t, 'hello');
		await waitForReplies(t, thread.id, 1);
		const logs = t.logLines.join('\n');
		expect(logs).toContain('model call failed');
		expect(await storedAnywhere(t, 'Alice')).toBe(true);
		for (const secret of [t.discord.token, 'wrong-key']) {
			expect(logs).not.toContain(secret);
			expect(await storedAnywhere(t, secret)).toBe(false);
		}
	});
});
