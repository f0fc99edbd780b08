import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { startBot } from '../../src/index.js';
import { createLogger } from '../../src/log/logger.js';
import { startFakeOpenAi } from '../fakes/fake-openai/index.js';
import type { FakeOpenAi } from '../fakes/fake-openai/index.js';
import { botContents, mention, waitForReplies } from '../support/conversation.js';
import { sampleFiles } from '../support/sample-files.js';
import { option, runCommand } from '../support/slash.js';
import type { TestBot } from '../support/start-test-bot.js';
import { testEnvironment } from '../support/start-test-bot.js';
import { useTestBot } from '../support/use-test-bot.js';

const start = useTestBot();
const servers: FakeOpenAi[] = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** The real bot with an OpenAI-compatible endpoint (a local server: no key) and no Gemini at all. */
async function withOpenAi(env: Record<string, string> = {}): Promise<{ t: TestBot; openai: FakeOpenAi }> {
	const openai = await startFakeOpenAi();
	servers.push(openai);
	const t = await start({ GEMINI_API_KEY: '', MODEL: 'openai/gpt-4o-mini', OPENAI_BASE_URL: openai.baseURL, ...env });
	return { t, openai };
}

const lastReply = (t: TestBot, threadId: string) => botContents(t, threadId).at(-1) ?? '';

describe('an OpenAI-compatible endpoint, with no Gemini', () => {
	it('answers a thread conversation with the persona as the system message, streamed and stored like Gemini', async () => {
		const { t, openai } = await withOpenAi({ SHOW_USAGE: 'true' });
		await runCommand(t, {
			name: 'persona',
			options: [option.subcommand('set', [option.string('prompt', 'You are a pirate.')])],
			channelId: t.discord.textChannel.id,
			user: t.discord.users.moderator,
		});
		openai.enqueue({
			kind: 'reply',
			chunks: ['Ahoy', ', matey', '!'],
			usage: { prompt_tokens: 120, completion_tokens: 9, cached_tokens: 64 },
		});
		const { thread } = await mention(t, 'hello there');
		await waitForReplies(t, thread.id, 1);
		expect(lastReply(t, thread.id)).toMatch(/^Ahoy, matey!\n-# 120 in \(64 cached\) · 9 out · /);
		await t.discord.userSays(thread.id, t.discord.users.bob, 'and me?');
		await waitForReplies(t, thread.id, 2);

		const [, second] = openai.requests;
		expect(second).toMatchObject({ model: 'gpt-4o-mini', stream: true, includeUsage: true, maxTokens: 8_192 });
		expect(second?.messages.map(({ role, text }) => ({ role, text }))).toEqual([
			{ role: 'system', text: expect.stringMatching(/^You are a pirate\.\n/) as string },
			{ role: 'user', text: 'Alice: hello there' },
			{ role: 'assistant', text: 'Ahoy, matey!' },
			{ role: 'user', text: 'Bob: and me?' },
		]);
		const usage = await t.sql.rows('SELECT model, prompt_tokens, cached_tokens, output_tokens FROM usage_records');
		expect(usage[0]).toEqual({ model: 'openai/gpt-4o-mini', prompt_tokens: 120, cached_tokens: 64, output_tokens: 9 });
		// The next call's estimate is calibrated by the endpoint's own prompt_tokens.
		expect(await t.sql.value('SELECT characters_per_token FROM sessions')).not.toBeNull();
		expect(t.gemini.requests).toEqual([]);
	});

	it('sends pictures as data URLs and names the files the model cannot read', async () => {
		const { t, openai } = await withOpenAi();
		const png = await sampleFiles.png();
		const { thread } = await mention(t, 'what are these?', t.discord.users.alice, [
			{ filename: 'chart.png', data: png, contentType: 'image/png' },
			{ filename: 'report.pdf', data: sampleFiles.pdf(), contentType: 'application/pdf' },
		]);
		await waitForReplies(t, thread.id, 1);
		expect(openai.requests[0]?.images.map((image) => image.bytes)).toEqual([png]);
		expect(openai.requests[0]?.messages.at(-1)?.text).toContain('[PDF: report.pdf]');
		expect(lastReply(t, thread.id)).toMatch(/\n-# Left out: report\.pdf, openai\/gpt-4o-mini cannot read PDFs\.$/);
	});

	it('leaves pictures out for a model its endpoint lists as reading text only', async () => {
		const openai = await startFakeOpenAi();
		servers.push(openai);
		openai.setModels([{ id: 'llama3.2', inputModalities: ['text'] }]);
		const t = await start({ GEMINI_API_KEY: '', MODEL: 'openai/llama3.2', OPENAI_BASE_URL: openai.baseURL });
		const { thread } = await mention(t, 'look', t.discord.users.alice, [
			{ filename: 'chart.png', data: await sampleFiles.png(), contentType: 'image/png' },
		]);
		await waitForReplies(t, thread.id, 1);
		expect(openai.requests[0]?.images).toEqual([]);
		expect(lastReply(t, thread.id)).toMatch(/\n-# Left out: chart\.png, openai\/llama3\.2 cannot read pictures\.$/);
	});

	it('never shows reasoning text, and counts its tokens as thinking', async () => {
		const { t, openai } = await withOpenAi();
		openai.enqueue({
			kind: 'reply',
			reasoning: ['Let me think', ' hard.'],
			chunks: ['42.'],
			usage: { reasoning_tokens: 30 },
		});
		const { thread } = await mention(t, 'the answer?');
		const [, reply] = await waitForReplies(t, thread.id, 1);
		expect(botContents(t, thread.id)).toEqual(['42.']);
		expect(reply?.usage.thoughtsTokens).toBe(30);
	});

	it('waits what a 429 asks (retry-after-ms), then answers', async () => {
		const { t, openai } = await withOpenAi();
		// Longer than the backoff the bot would pick itself (0.5–1 s): only the header can make it wait this long.
		openai.enqueue(
			{ kind: 'http-error', preset: 'rate-limit', retryAfterMs: 1_500 },
			{ kind: 'reply', chunks: ['Done.'] },
		);
		const { thread } = await mention(t, 'busy?');
		await waitForReplies(t, thread.id, 1);
		expect(lastReply(t, thread.id)).toBe('Done.');
		const [first, second] = openai.requests;
		expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(1_500);
	});

	it('stops a reply with the Stop button like a Gemini one, and charges what was shown', async () => {
		const { t, openai } = await withOpenAi();
		openai.enqueue({
			kind: 'reply',
			chunks: ['Partial answer', ...Array.from({ length: 40 }, () => ' more')],
			chunkDelayMs: 100,
		});
		const { thread } = await mention(t, 'write a lot');
		const reply = await t.discord.waitFor(() => t.discord.messagesIn(thread.id)[0], { description: 'the reply' });
		await t.discord.clickButton({
			messageId: reply.id,
			channelId: thread.id,
			customId: `stop:${thread.id}`,
			user: t.discord.users.alice,
		});
		const [, stopped] = await waitForReplies(t, thread.id, 1);
		expect(stopped).toMatchObject({ status: 'partial', errorCode: 'stopped' });
		expect(lastReply(t, thread.id)).toMatch(/\n\n⚠️ Stopped by Alice\.$/);
		await t.discord.waitFor(() => openai.stats.clientAborts === 1 || undefined, { description: 'the call aborted' });
		expect(await t.sql.value('SELECT output_tokens FROM usage_records')).toBeGreaterThan(0);
	});

	it('reports a 400 (a conversation too long), 401 and 404 at once in one line, never retried', async () => {
		const { t, openai } = await withOpenAi();
		openai.enqueue(
			{ kind: 'http-error', preset: 'context-length' },
			{ kind: 'http-error', preset: 'invalid-api-key' },
			{ kind: 'http-error', preset: 'model-not-found' },
		);
		const { thread } = await mention(t, 'one');
		await waitForReplies(t, thread.id, 1);
		await t.discord.userSays(thread.id, t.discord.users.alice, 'two');
		await waitForReplies(t, thread.id, 2);
		await t.discord.userSays(thread.id, t.discord.users.alice, 'three');
		await waitForReplies(t, thread.id, 3);
		expect(botContents(t, thread.id)).toEqual([
			'⚠️ This conversation is too long for the model. Use /reset (or /rewind) and ask again.',
			"⚠️ OpenAI rejected the bot's credentials. A server admin needs to check OPENAI_API_KEY.",
			'⚠️ The configured OpenAI model is not available. A server admin needs to check the model name.',
		]);
		expect(openai.requests).toHaveLength(3);
	});

	it('keeps the text of an answer cut mid-stream and says it was cut; a length limit says so too', async () => {
		const { t, openai } = await withOpenAi();
		openai.enqueue(
			{ kind: 'drop-after', chunks: ['The first half', ' of it'] },
			{ kind: 'reply', chunks: ['Long ', 'answer'], finishReason: 'length' },
			{ kind: 'reply', chunks: ['Not that.'], finishReason: 'content_filter' },
		);
		const { thread } = await mention(t, 'tell me');
		await waitForReplies(t, thread.id, 1);
		expect(lastReply(t, thread.id)).toBe(
			'The first half of it\n\n⚠️ This answer is incomplete: the connection to OpenAI was lost. Send a message to continue.',
		);
		await t.discord.userSays(thread.id, t.discord.users.alice, 'more');
		await waitForReplies(t, thread.id, 2);
		expect(lastReply(t, thread.id)).toBe("Long answer\n\n⚠️ The answer hit OpenAI's length limit and was cut off.");
		await t.discord.userSays(thread.id, t.discord.users.alice, 'again');
		await waitForReplies(t, thread.id, 3);
		expect(lastReply(t, thread.id)).toBe("Not that.\n\n⚠️ OpenAI's content filter stopped this answer.");
	});

	it('summarizes with /summarize, and says /imagine and Gemini-only settings need Gemini', async () => {
		const { t, openai } = await withOpenAi();
		const { thread } = await mention(t, 'something worth summarizing');
		await waitForReplies(t, thread.id, 1);
		openai.enqueue({ kind: 'reply', chunks: ['A short summary.'] });
		const summary = await runCommand(t, { name: 'summarize', channelId: thread.id, user: t.discord.users.alice });
		expect(summary.content).toBe('A short summary.');
		expect(openai.requests.at(-1)?.messages[0]?.text).toMatch(/You summarize Discord conversations/);

		const picture = await runCommand(t, {
			name: 'imagine',
			channelId: t.discord.textChannel.id,
			user: t.discord.users.alice,
			options: [option.string('prompt', 'a cat')],
		});
		expect(picture.content).toMatch(/^⚠️ Drawing needs Gemini, and this bot has none configured/);
		const settings = await runCommand(t, {
			name: 'settings',
			channelId: t.discord.textChannel.id,
			user: t.discord.users.moderator,
			options: [option.subcommand('set', [option.boolean('search', true)])],
		});
		expect(settings.content).toContain('-# `search` is a Gemini feature: `openai/gpt-4o-mini` ignores it.');
	});
});

describe('fallbacks and start-up checks across providers', () => {
	it('moves a call from a Gemini model out of quota to an OpenAI-compatible fallback, and says so', async () => {
		const openai = await startFakeOpenAi();
		servers.push(openai);
		const t = await start({ FALLBACK_MODELS: 'openai/gpt-4o-mini', OPENAI_BASE_URL: openai.baseURL });
		t.gemini.enqueue({ kind: 'per-day-429' });
		openai.enqueue({ kind: 'reply', chunks: ['From the fallback.'] });
		const { thread } = await mention(t, 'anyone there?');
		await waitForReplies(t, thread.id, 1);
		expect(lastReply(t, thread.id)).toBe(
			'From the fallback.\n-# Answered by openai/gpt-4o-mini: gemini-2.5-flash has used up its quota for today.',
		);
		expect(await t.sql.value("SELECT model FROM messages WHERE role = 'model'")).toBe('openai/gpt-4o-mini');
	});

	it('stops the start on a mistyped endpoint model, naming the closest, and warns when the endpoint is down', async () => {
		const openai = await startFakeOpenAi();
		servers.push(openai);
		const t = await start({ OPENAI_BASE_URL: openai.baseURL, MODELS: 'openai/gpt-4o-mini' });
		const environment = { ...testEnvironment({ ...t, databasePath: ':memory:' }), OPENAI_BASE_URL: openai.baseURL };
		const lines: string[] = [];
		const logger = createLogger(
			'debug',
			new Writable({
				write(chunk: Buffer, _encoding, callback) {
					lines.push(chunk.toString());
					callback();
				},
			}),
		);
		await expect(startBot(parseConfig({ ...environment, MODELS: 'openai/gpt-4o-mni' }), logger)).rejects.toThrow(
			'MODELS "openai/gpt-4o-mni" (did you mean openai/gpt-4o-mini?) is not a model openai serves.',
		);
		openai.setModelsUnavailable(true);
		const bot = await startBot(parseConfig({ ...environment, MODELS: 'openai/gpt-4o-mini' }), logger);
		await bot.stop(500);
		expect(lines.join('')).toContain('could not reach openai to check the model names; starting anyway');
	});
});
