import { describe, expect, it } from 'vitest';
import { botContents, mention, turnsOf, waitForReplies } from '../support/conversation.js';
import { option, runCommand } from '../support/slash.js';
import type { TestBot } from '../support/start-test-bot.js';
import { useTestBot } from '../support/use-test-bot.js';

const start = useTestBot();

const settingsSet = (t: TestBot, channelId: string, options: unknown[], user = t.discord.users.moderator) =>
	runCommand(t, { name: 'settings', channelId, user, options: [option.subcommand('set', options)] });
const settingsShow = (t: TestBot, channelId: string) =>
	runCommand(t, {
		name: 'settings',
		channelId,
		user: t.discord.users.moderator,
		options: [option.subcommand('show')],
	});

describe('/settings', () => {
	it('gives a channel Gemini tools and generation settings, inherited by its threads, overridable per thread', async () => {
		const t = await start();
		const general = t.discord.textChannel.id;
		const { content } = await settingsSet(t, general, [
			option.boolean('search', true),
			option.boolean('urls', true),
			option.boolean('code', true),
			option.number('temperature', 0.3),
			option.integer('max_output_tokens', 800),
			option.string('thinking', '1024'),
		]);
		expect(content).toBe(
			[
				`Settings changed for <#${general}> (this channel and its threads):`,
				'- Google Search grounding (`search`): on',
				'- Reading posted links (`urls`): on',
				'- Code execution (`code`): on',
				'- Temperature (`temperature`): 0.3',
				'- Longest answer in tokens, thinking included (`max_output_tokens`): 800',
				'- Thinking (`thinking`): up to 1,024 tokens',
			].join('\n'),
		);

		const { thread } = await mention(t, 'what is new today?');
		await waitForReplies(t, thread.id, 1);
		const first = t.gemini.requests[0]!;
		expect(first.tools).toEqual([{ googleSearch: {} }, { urlContext: {} }, { codeExecution: {} }]);
		expect(first.generationConfig).toMatchObject({
			temperature: 0.3,
			maxOutputTokens: 800,
			thinkingConfig: { thinkingBudget: 1024 },
		});

		// A thread override wins for that setting only; the others still come from the channel.
		const override = await settingsSet(t, thread.id, [
			option.boolean('search', false),
			option.string('thinking', 'off'),
		]);
		expect(override.content).toMatch(/^Settings changed for the thread <#\d+> \(this thread only\):/);
		await t.discord.userSays(thread.id, t.discord.users.alice, 'and without searching?');
		await waitForReplies(t, thread.id, 2);
		const second = t.gemini.requests[1]!;
		expect(second.tools).toEqual([{ urlContext: {} }, { codeExecution: {} }]);
		expect(second.generationConfig).toMatchObject({ temperature: 0.3, thinkingConfig: { thinkingBudget: 0 } });

		const shown = await settingsShow(t, thread.id);
		expect(shown.content).toContain('- Google Search grounding (`search`): off (set for this thread)');
		expect(shown.content).toContain(`- Code execution (\`code\`): on (from <#${general}>)`);
		expect(shown.content).toContain('- Usage line under replies (`footer`): off (default)');

		// /settings reset in the thread: it follows its channel again.
		const reset = await runCommand(t, {
			name: 'settings',
			channelId: thread.id,
			user: t.discord.users.moderator,
			options: [option.subcommand('reset')],
		});
		expect(reset.content).toBe(`Settings reset for the thread <#${thread.id}>: it follows <#${general}> again.`);
		await t.discord.userSays(thread.id, t.discord.users.alice, 'search again please');
		await waitForReplies(t, thread.id, 3);
		expect(t.gemini.requests[2]!.tools).toEqual([{ googleSearch: {} }, { urlContext: {} }, { codeExecution: {} }]);
	});

	it('sends no tools and no generation settings where none are set', async () => {
		const t = await start();
		const { thread } = await mention(t, 'plain question');
		await waitForReplies(t, thread.id, 1);
		const request = t.gemini.requests[0]!;
		expect(request.tools).toEqual([]);
		expect(request.generationConfig ?? {}).not.toHaveProperty('temperature');
		expect(request.generationConfig ?? {}).not.toHaveProperty('thinkingConfig');
	});

	it('refuses an out-of-range value with the allowed range, and changes nothing', async () => {
		const t = await start();
		const general = t.discord.textChannel.id;
		const hot = await settingsSet(t, general, [option.boolean('search', true), option.number('temperature', 3)]);
		expect(hot.content).toBe('⚠️ `temperature` must be between 0 and 2; you gave 3.');
		const long = await settingsSet(t, general, [option.integer('max_output_tokens', 100_000)]);
		expect(long.content).toBe('⚠️ `max_output_tokens` must be a whole number from 1 to 65,536; you gave 100000.');
		const thinking = await settingsSet(t, general, [option.string('thinking', 'lots')]);
		expect(thinking.content).toBe(
			'⚠️ `thinking` must be `off`, `auto` or a token budget from 0 to 32,768; you gave `lots`.',
		);
		const shown = await settingsShow(t, general);
		expect(shown.content).toContain('- Google Search grounding (`search`): off (default)');
		expect(shown.content).toContain("- Temperature (`temperature`): the model's default (default)");
	});

	it('is for moderators only', async () => {
		const t = await start();
		const { content } = await settingsSet(
			t,
			t.discord.textChannel.id,
			[option.boolean('search', true)],
			t.discord.users.alice,
		);
		expect(content).toBe('⚠️ You need the Manage Channels permission to use this command.');
	});
});

describe('grounded answers and code execution', () => {
	it('lists the sources of a grounded answer as numbered links, merged, at most five, stored with the turn', async () => {
		const t = await start();
		const chunks = Array.from({ length: 7 }, (_, index) => ({
			uri: `https://vertexaisearch.cloud.google.com/grounding-api-redirect/${index}`,
			title: `source-${index}.example`,
		}));
		t.gemini.enqueue({
			kind: 'reply',
			chunks: ['The match ended ', '2–1.'],
			groundingMetadata: {
				webSearchQueries: ['match result today'],
				// The same page twice (same link), and a second link to a site already listed (same title).
				chunks: [
					chunks[0]!,
					chunks[0]!,
					{ uri: 'https://vertexaisearch.cloud.google.com/grounding-api-redirect/x', title: 'source-0.example' },
					{ uri: chunks[1]!.uri, title: `A [very] long title ${'that goes on '.repeat(8)}` },
					...chunks.slice(2),
				],
			},
		});
		const { thread } = await mention(t, 'who won the match?');
		const turns = await waitForReplies(t, thread.id, 1);
		const [reply] = botContents(t, thread.id);
		expect(reply).toBe(
			[
				'The match ended 2–1.',
				'',
				'**Sources**',
				'1. [source-0.example](<https://vertexaisearch.cloud.google.com/grounding-api-redirect/0>)',
				'2. [A very long title that goes on that goes on that goes on th…](<https://vertexaisearch.cloud.google.com/grounding-api-redirect/1>)',
				'3. [source-2.example](<https://vertexaisearch.cloud.google.com/grounding-api-redirect/2>)',
				'4. [source-3.example](<https://vertexaisearch.cloud.google.com/grounding-api-redirect/3>)',
				'5. [source-4.example](<https://vertexaisearch.cloud.google.com/grounding-api-redirect/4>)',
				'-# Searched for: “match result today”',
			].join('\n'),
		);
		// The answer text is what the model said; the sources are kept beside it (and not sent back as context).
		expect(turns[1]).toMatchObject({ content: 'The match ended 2–1.', status: 'complete' });
		expect(turns[1]!.grounding?.sources).toHaveLength(9);
		expect(turns[1]!.grounding?.queries).toEqual(['match result today']);
		const pings = t.discord.pingsOf(t.discord.messagesIn(thread.id).find((m) => m.author.id === t.discord.bot.id)!);
		expect(pings).toEqual({ everyone: false, users: [], roles: [] });
	});

	it('keeps sources within Discord messages of 2,000 characters after a long answer', async () => {
		const t = await start();
		t.gemini.enqueue({
			kind: 'reply',
			chunks: ['word '.repeat(395)],
			groundingMetadata: { chunks: [{ uri: 'https://example.com/a', title: 'example.com' }] },
		});
		const { thread } = await mention(t, 'a long grounded answer');
		await waitForReplies(t, thread.id, 1);
		const contents = botContents(t, thread.id);
		expect(contents).toHaveLength(2);
		for (const content of contents) expect(content.length).toBeLessThanOrEqual(2_000);
		expect(contents.join('')).toContain('**Sources**\n1. [example.com](<https://example.com/a>)');
	});

	it('shows code Gemini ran as a fenced block with its output, and stores it with the answer', async () => {
		const t = await start();
		t.gemini.enqueue({
			kind: 'reply',
			chunks: ['Let me compute it.', 'The sum is 5050.'],
			code: [
				{
					language: 'PYTHON',
					code: 'print(sum(range(101)))',
					outcome: 'OUTCOME_OK',
					output: '5050\n',
					afterChunk: 0,
				},
			],
		});
		const { thread } = await mention(t, 'what is 1 + 2 + ... + 100?');
		const turns = await waitForReplies(t, thread.id, 1);
		const expected = [
			'Let me compute it.',
			'',
			'```python',
			'print(sum(range(101)))',
			'```',
			'',
			'Output:',
			'```',
			'5050',
			'```',
			'',
			'The sum is 5050.',
		].join('\n');
		expect(botContents(t, thread.id)).toEqual([expected]);
		expect(turns[1]!.content).toBe(expected);
	});

	it('marks code that failed to run', async () => {
		const t = await start();
		t.gemini.enqueue({
			kind: 'reply',
			chunks: ['That did not work.'],
			code: [
				{ language: 'PYTHON', code: '1/0', outcome: 'OUTCOME_FAILED', output: 'ZeroDivisionError', afterChunk: -1 },
			],
		});
		const { thread } = await mention(t, 'divide by zero');
		await waitForReplies(t, thread.id, 1);
		expect(botContents(t, thread.id)[0]).toBe(
			'```python\n1/0\n```\n\nOutput (failed):\n```\nZeroDivisionError\n```\n\nThat did not work.',
		);
	});
});

describe('the usage line', () => {
	it('ends a reply with tokens, time and speed from Gemini, added in the final edit only', async () => {
		const t = await start();
		await settingsSet(t, t.discord.textChannel.id, [option.boolean('footer', true)]);
		t.gemini.enqueue({
			kind: 'reply',
			chunks: ['One, ', 'two, ', 'three.'],
			chunkDelayMs: 400,
			thought: 'counting',
			usage: {
				promptTokenCount: 1234,
				candidatesTokenCount: 345,
				thoughtsTokenCount: 20,
				cachedContentTokenCount: 1024,
			},
		});
		const { thread } = await mention(t, 'count to three');
		const turns = await waitForReplies(t, thread.id, 1);
		const reply = t.discord.messagesIn(thread.id).find((message) => message.author.id === t.discord.bot.id)!;
		const match =
			/^One, two, three\.\n-# 1,234 in \(1,024 cached\) · 365 out \(20 thinking\) · (\d+\.\d) s · (\d+) tok\/s$/.exec(
				reply.content,
			);
		expect(match, reply.content).not.toBeNull();
		const seconds = Number(match![1]);
		expect(seconds).toBeGreaterThanOrEqual(0.8);
		// The time is shown to a tenth of a second, the speed from the exact time: within that rounding.
		expect(Number(match![2])).toBeGreaterThanOrEqual(Math.floor(365 / (seconds + 0.05)));
		expect(Number(match![2])).toBeLessThanOrEqual(Math.ceil(365 / (seconds - 0.05)));
		// Streamed versions never carried the line: it would flicker.
		expect(reply.versions.length).toBeGreaterThan(1);
		for (const version of reply.versions.slice(0, -1)) expect(version).not.toContain('-#');
		// Stored: the answer text, and Gemini's counts (thinking kept apart, cached tokens too).
		expect(turns[1]).toMatchObject({
			content: 'One, two, three.',
			usage: { promptTokens: 1234, outputTokens: 345, thoughtsTokens: 20, cachedTokens: 1024 },
		});
	});

	it('is on everywhere with SHOW_USAGE=true, names a model other than the default, and a channel can turn it off', async () => {
		const t = await start({ SHOW_USAGE: 'true', GEMINI_MODELS: 'gemini-2.5-pro' });
		const general = t.discord.textChannel.id;
		await runCommand(t, {
			name: 'model',
			channelId: general,
			user: t.discord.users.moderator,
			options: [option.string('name', 'gemini-2.5-pro')],
		});
		t.gemini.enqueue({ kind: 'reply', chunks: ['Hi.'], usage: { promptTokenCount: 10, candidatesTokenCount: 2 } });
		const { thread } = await mention(t, 'hello');
		await waitForReplies(t, thread.id, 1);
		expect(botContents(t, thread.id)[0]).toMatch(
			/^Hi\.\n-# 10 in · 2 out · \d+\.\d s · [\d,]+ tok\/s · gemini-2\.5-pro$/,
		);

		await settingsSet(t, general, [option.boolean('footer', false)]);
		t.gemini.enqueue({ kind: 'reply', chunks: ['Bye.'] });
		await t.discord.userSays(thread.id, t.discord.users.alice, 'bye');
		await waitForReplies(t, thread.id, 2);
		expect(botContents(t, thread.id)[1]).toBe('Bye.');
		expect((await turnsOf(t, thread.id)).at(-1)?.content).toBe('Bye.');
		expect(await turnsOf(t, thread.id)).toHaveLength(4);
	});
});
