import { describe, expect, it } from 'vitest';
import { splitMessage } from '../../src/reply/split-message.js';
import { botContents, botMessageWrites, mention, pause, turnsOf, waitForReplies } from '../support/conversation.js';
import { joinParts } from '../../src/reply/join-parts.js';
import { useTestBot } from '../support/use-test-bot.js';

const start = useTestBot();

describe('conversation in a thread', () => {
	it('starts a thread from a mention and streams the reply by edits until it equals the model text', async () => {
		const t = await start({ STREAM_EDIT_INTERVAL_MS: '1000' });
		const chunks = ['Sure! ', 'Here is ', 'a streamed ', 'answer ', 'in several ', 'chunks, ', 'slowly.'];
		t.gemini.enqueue({ kind: 'reply', chunks, chunkDelayMs: 400 });
		const { message, thread } = await mention(t, 'How do **threads** work?\nMore details here.');

		expect(thread).toMatchObject({
			type: 11,
			parentId: t.discord.textChannel.id,
			ownerId: t.discord.bot.id,
			name: 'How do threads work?',
		});
		await waitForReplies(t, thread.id, 1);
		const [reply, ...others] = t.discord.messagesIn(thread.id);
		expect(others).toEqual([]);
		expect(reply?.author.id).toBe(t.discord.bot.id);
		expect(reply?.content).toBe(chunks.join(''));
		// Streamed: visible before the end, edited at most about once per second while streaming, then the final
		// edit at once.
		expect(reply!.versions.length).toBeGreaterThanOrEqual(3);
		expect(reply!.versions[0]!.length).toBeLessThan(chunks.join('').length);
		const writes = botMessageWrites(t).map((write) => write.at);
		const streamingGaps = writes.slice(1, -1).map((at, index) => at - writes[index]!);
		expect(Math.min(...streamingGaps)).toBeGreaterThanOrEqual(990);
		expect(new Set(reply!.versions).size).toBe(reply!.versions.length);
		// The first text came at once: no typing indicator was needed.
		expect(t.discord.requests.some((request) => request.path === `/channels/${thread.id}/typing`)).toBe(false);

		const request = t.gemini.requests[0]!;
		expect(request).toMatchObject({ apiVersion: 'v1beta', model: 'gemini-2.5-flash', action: 'streamGenerateContent' });
		expect(request.contents).toEqual([{ role: 'user', text: 'Alice: How do **threads** work?\nMore details here.' }]);
		// The thread's name is the bot's own, from the question: it adds nothing, and it never goes in the instructions.
		expect(request.systemInstruction).toContain('in a thread of #general');
		expect(request.systemInstruction).not.toContain('How do threads work?');

		const turns = await turnsOf(t, thread.id);
		expect(turns.map((turn) => [turn.role, turn.status, turn.discordMessageId])).toEqual([
			['user', undefined, message.id],
			['model', 'complete', reply!.id],
		]);
		expect(turns[1]?.usage.totalTokens).toBeGreaterThan(0);
		expect(t.discord.unexpectedRequests).toEqual([]);
	});

	it('shows typing only while the first text is more than a second away', async () => {
		const t = await start();
		t.gemini.enqueue({ kind: 'reply', chunks: ['Thought it over.'], firstChunkDelayMs: 1_600 });
		const { thread } = await mention(t, 'a hard question');
		await waitForReplies(t, thread.id, 1);
		const typing = t.discord.requests.filter((request) => request.path === `/channels/${thread.id}/typing`);
		const firstText = botMessageWrites(t).find((write) => write.path.startsWith(`/channels/${thread.id}/`));
		expect(typing).toHaveLength(1);
		expect(typing[0]!.at).toBeLessThan(firstText!.at);
		expect(typing[0]!.at - t.gemini.requests[0]!.receivedAt).toBeGreaterThanOrEqual(900);
	});

	it('continues the session for any later message in the thread, sending the history in order with speakers', async () => {
		const t = await start();
		t.gemini.enqueue({ kind: 'reply', chunks: ['First answer.'] }, { kind: 'reply', chunks: ['Second answer.'] });
		const { thread } = await mention(t, 'first question');
		await waitForReplies(t, thread.id, 1);
		await t.discord.userSays(thread.id, t.discord.users.bob, 'a follow-up without mention');
		await waitForReplies(t, thread.id, 2);

		expect(t.gemini.requests[1]?.contents).toEqual([
			{ role: 'user', text: 'Alice: first question' },
			{ role: 'model', text: 'First answer.' },
			{ role: 'user', text: 'Bob: a follow-up without mention' },
		]);
		expect(botContents(t, thread.id)).toEqual(['First answer.', 'Second answer.']);
	});

	it('keeps the history across a restart on the same database file', async () => {
		const t = await start();
		t.gemini.enqueue({ kind: 'reply', chunks: ['Noted: blue.'] });
		const { thread } = await mention(t, 'my favourite colour is blue');
		await waitForReplies(t, thread.id, 1);

		await t.restart();
		t.gemini.enqueue({ kind: 'reply', chunks: ['It is blue.'] });
		await t.discord.userSays(thread.id, t.discord.users.alice, 'what is my favourite colour?');
		await waitForReplies(t, thread.id, 2);

		expect(t.gemini.requests[1]?.contents.map((content) => content.text)).toEqual([
			'Alice: my favourite colour is blue',
			'Noted: blue.',
			'Alice: what is my favourite colour?',
		]);
		expect(t.discord.messagesIn(thread.id).at(-1)?.content).toBe('It is blue.');
	});

	it('answers messages of one thread in order, each with the previous answer in its history', async () => {
		const t = await start();
		t.gemini.enqueue(
			{ kind: 'reply', chunks: ['Answer one.'] },
			{ kind: 'reply', chunks: ['Answer two.'] },
			{ kind: 'reply', chunks: ['Answer three.'] },
		);
		const { thread } = await mention(t, 'one');
		await t.discord.userSays(thread.id, t.discord.users.alice, 'two');
		await t.discord.userSays(thread.id, t.discord.users.bob, 'three');
		await waitForReplies(t, thread.id, 3);

		expect(t.gemini.requests[2]?.contents.map((content) => content.text)).toEqual([
			'Alice: one',
			'Answer one.',
			'Alice: two',
			'Answer two.',
			'Bob: three',
		]);
		expect(botContents(t, thread.id)).toEqual(['Answer one.', 'Answer two.', 'Answer three.']);
	});

	it('answers different threads in parallel, within GEMINI_CONCURRENCY streams', async () => {
		const t = await start({ GEMINI_CONCURRENCY: '2' });
		t.gemini.respondWith(() => ({ kind: 'reply', chunks: ['slow ', 'parallel ', 'answer'], chunkDelayMs: 150 }));
		const threads = await Promise.all(['a', 'b', 'c'].map((topic) => mention(t, `topic ${topic}`)));
		await Promise.all(threads.map(({ thread }) => waitForReplies(t, thread.id, 1)));
		expect(t.gemini.stats.maxConcurrentStreams).toBe(2);
	});

	it('splits a 6,000-character answer with code blocks at boundaries, reopening fences', async () => {
		const t = await start();
		const code = Array.from({ length: 70 }, (_, n) => `    let value_${n} = compute(${n}); // step ${n}`).join('\n');
		const prose = (n: number) => `Section ${n}. ${'This explains the code in plain words. '.repeat(12)}`;
		const text = `${prose(1)}\n\n\`\`\`rust\n${code}\n\`\`\`\n\n${prose(2)}\n\n\`\`\`python\n${code.replaceAll('let ', '')}\n\`\`\`\n\n${prose(3)}`;
		expect(text.length).toBeGreaterThan(6_000);
		const chunks = text.match(/[\s\S]{1,250}/g) ?? [];
		t.gemini.enqueue({ kind: 'reply', chunks, chunkDelayMs: 5 });
		const { thread } = await mention(t, 'show me code');
		await waitForReplies(t, thread.id, 1);

		const contents = t.discord.messagesIn(thread.id).map((message) => message.content);
		expect(contents).toEqual(splitMessage(text));
		expect(contents.length).toBeGreaterThanOrEqual(4);
		for (const content of contents) {
			expect(content.length).toBeLessThanOrEqual(2_000);
			expect((content.match(/```/g) ?? []).length % 2).toBe(0);
		}
		expect(contents.some((content) => content.startsWith('```rust\n') || content.startsWith('```python\n'))).toBe(true);
		expect(joinParts(contents)).toBe(text);
		expect((await turnsOf(t, thread.id))[1]?.content).toBe(text);
	});

	it('never pings anyone, whatever the model writes', async () => {
		const t = await start();
		const alice = t.discord.users.alice;
		t.gemini.enqueue({
			kind: 'reply',
			chunks: ['@everyone @here ', `hello <@${alice.id}> `, `and <@&${t.discord.guild.id}>`],
		});
		const { thread } = await mention(t, 'ping everybody please');
		await waitForReplies(t, thread.id, 1);

		const [reply] = t.discord.messagesIn(thread.id);
		expect(reply?.content).toContain('@everyone');
		reply!.versions.forEach((_, index) => {
			expect(t.discord.pingsOf(reply!, index)).toEqual({ everyone: false, users: [], roles: [] });
		});
		const writes = botMessageWrites(t);
		expect(writes.length).toBeGreaterThan(0);
		for (const write of writes)
			expect((write.body as { allowed_mentions?: unknown }).allowed_mentions).toEqual({
				parse: [],
				replied_user: false,
			});
	});

	it('ignores other bots and its own messages', async () => {
		const t = await start();
		await t.discord.userSays(
			t.discord.textChannel.id,
			t.discord.users.otherBot,
			`<@${t.discord.bot.id}> hello from a bot`,
		);
		const { thread } = await mention(t, 'hello');
		await waitForReplies(t, thread.id, 1);
		await t.discord.userSays(thread.id, t.discord.users.otherBot, 'a bot talking in the thread');
		await pause(300);

		expect(t.discord.threads).toHaveLength(1);
		expect(t.gemini.requests).toHaveLength(1);
		expect(await turnsOf(t, thread.id)).toHaveLength(2);
	});

	it('answers a replayed gateway event only once', async () => {
		const t = await start();
		const { message, thread } = await mention(t, 'only once');
		await waitForReplies(t, thread.id, 1);
		const original = t.discord.gatewayLog.find(
			(entry) =>
				entry.direction === 'out' &&
				JSON.stringify(entry.payload).includes(`"id":"${message.id}"`) &&
				JSON.stringify(entry.payload).includes('MESSAGE_CREATE'),
		);
		t.discord.dispatch('MESSAGE_CREATE', (original?.payload as { d: unknown }).d);
		const followUp = await t.discord.userSays(thread.id, t.discord.users.alice, 'and again');
		t.discord.dispatch('MESSAGE_CREATE', {
			...(original?.payload as { d: object }).d,
			id: followUp.id,
			channel_id: thread.id,
			content: 'and again',
		});
		await waitForReplies(t, thread.id, 2);
		await pause(300);

		expect(t.discord.threads).toHaveLength(1);
		expect(t.gemini.requests).toHaveLength(2);
		expect((await turnsOf(t, thread.id)).map((turn) => turn.role)).toEqual(['user', 'model', 'user', 'model']);
	});

	it("in a member's thread answers only mentions, as replies, with that thread's stored turns as context", async () => {
		const t = await start();
		const memberThread = await t.discord.createThread({
			parentId: t.discord.textChannel.id,
			name: 'hangout',
			owner: t.discord.users.bob,
		});
		await t.discord.userSays(memberThread.id, t.discord.users.bob, 'just chatting, no bot');
		const question = await t.discord.userSays(
			memberThread.id,
			t.discord.users.alice,
			`<@${t.discord.bot.id}> what is 2+2?`,
		);
		await waitForReplies(t, memberThread.id, 1);
		await t.discord.userSays(memberThread.id, t.discord.users.bob, 'still not for the bot');
		await t.discord.userSays(memberThread.id, t.discord.users.bob, `<@${t.discord.bot.id}> and 3+3?`);
		await waitForReplies(t, memberThread.id, 2);

		expect(t.discord.threads).toHaveLength(1);
		const botReplies = t.discord
			.messagesIn(memberThread.id)
			.filter((message) => message.author.id === t.discord.bot.id);
		expect(botReplies[0]?.messageReference?.messageId).toBe(question.id);
		// Members named this thread: its name opens the conversation as context, not in the instructions.
		const named = '(The members named this thread "hangout".)';
		expect(t.gemini.requests[1]?.contents.map((content) => content.text)).toEqual([
			`${named}\n\nAlice: what is 2+2?`,
			`Echo: ${named}\n\nAlice: what is 2+2?`,
			'Bob: and 3+3?',
		]);
		expect(t.gemini.requests[1]?.systemInstruction).not.toContain('hangout');
	});

	it('answers an empty mention with a short hint instead of calling the model', async () => {
		const t = await start();
		const message = await t.discord.userSays(t.discord.textChannel.id, t.discord.users.alice, `<@${t.discord.bot.id}>`);
		const hint = await t.discord.waitFor(() =>
			t.discord
				.messagesIn(t.discord.textChannel.id)
				.find((candidate) => candidate.messageReference?.messageId === message.id),
		);
		expect(hint.content).toMatch(/write your question/i);
		expect(t.gemini.requests).toHaveLength(0);
		expect(t.discord.threads).toHaveLength(0);
	});
});
