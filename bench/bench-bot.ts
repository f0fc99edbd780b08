import type { Environment } from '../src/config/config.js';
import type { StoredTurn } from '../src/domain/turn.js';
import type { FakeUser } from '../src/emulator/discord/index.js';
import { startFakeOpenAi } from '../test/fakes/fake-openai/index.js';
import { startTestBot } from '../test/support/start-test-bot.js';
import type { TestBot } from '../test/support/start-test-bot.js';
import type { BenchBackend } from './backend.js';
import { benchBackend } from './backend.js';
import { startChunkTap } from './chunk-tap.js';
import type { ChunkTap } from './chunk-tap.js';
import { geminiBenchModel, openAiBenchModel } from './bench-model.js';
import type { BenchModel } from './bench-model.js';

/** The product default, set explicitly because startTestBot defaults to 250 ms for fast tests. */
export const EDIT_INTERVAL_MS = 1_000;

/** Which fake answers the bot's model calls: the fake Gemini, or a fake OpenAI-compatible server (then no Gemini). */
export type BenchProvider = 'gemini' | 'openai';

/** The model the bot asks in OpenAI-compatible runs (the fake answers any name). */
export const OPENAI_MODEL = 'openai/gpt-4o-mini';

export type BenchBot = {
	readonly t: TestBot;
	readonly tap: ChunkTap;
	/** The fake behind the tap (`t.gemini` for 'gemini'). */
	readonly model: BenchModel;
	close(): Promise<void>;
};

/**
 * The real bot on the fakes (fresh database, fresh fakes), its model traffic going through a timestamping tap; its
 * database a temp SQLite file or a PostgreSQL schema of its own (BENCH_BACKEND unless `backend`).
 */
export async function startBenchBot(
	env: Environment = {},
	provider: BenchProvider = 'gemini',
	backend: BenchBackend = benchBackend(),
): Promise<BenchBot> {
	const tap = await startChunkTap();
	const openai = provider === 'openai' ? await startFakeOpenAi() : undefined;
	// A base URL other than OpenAI's needs no key; GEMINI_API_KEY='' leaves the bot without Gemini.
	const route = openai
		? { GEMINI_API_KEY: '', MODEL: OPENAI_MODEL, OPENAI_BASE_URL: `${tap.url}/v1` }
		: { GEMINI_BASE_URL: tap.url };
	const t = await startTestBot({ STREAM_EDIT_INTERVAL_MS: String(EDIT_INTERVAL_MS), ...env, ...route }, undefined, {
		backend,
	});
	tap.setUpstream(openai?.url ?? t.gemini.url);
	return {
		t,
		tap,
		model: openai ? openAiBenchModel(openai) : geminiBenchModel(t.gemini),
		async close() {
			await t.close();
			await openai?.close();
			await tap.close();
		},
	};
}

/** Alice mentions the bot in #general; the thread the bot starts takes the message's id. */
export async function ask(t: TestBot, text: string): Promise<{ threadId: string; askedAt: number }> {
	return askAs(t, t.discord.users.alice, text);
}

/** `member` mentions the bot in #general; the thread the bot starts takes the message's id. */
export async function askAs(
	t: TestBot,
	member: FakeUser,
	text: string,
): Promise<{ threadId: string; askedAt: number }> {
	const askedAt = Date.now();
	const message = await t.discord.userSays(t.discord.textChannel.id, member, `<@${t.discord.bot.id}> ${text}`);
	return { threadId: message.id, askedAt };
}

/** `count` members to ask from: alice, bob and moderator, then new members (member4, member5, …). */
export function members(t: TestBot, count: number): FakeUser[] {
	const { alice, bob, moderator } = t.discord.users;
	const list = [alice, bob, moderator].slice(0, count);
	while (list.length < count) list.push(t.discord.addUser({ username: `member${list.length + 1}` }));
	return list;
}

/** Workloads a–d: Discord-like limits (5 creates + 5 edits per 5 s per channel, 50 requests/s), unannounced. */
export const UNADVERTISED_LIMITS =
	'fake Discord enforces 5 creates + 5 edits per 5 s per channel and 50 requests per 1 s per bot without advertising them';

/** Makes the fake Discord enforce its limits without advertising them: the bot learns of them only from a 429. */
export function useUnadvertisedLimits(t: Pick<TestBot, 'discord'>): void {
	t.discord.setMessageRateLimit({ limit: 5, windowMs: 5_000, advertise: false });
	t.discord.setGlobalRateLimit({ limit: 50, windowMs: 1_000, advertise: false });
}

/** Resolves with the thread's model turn once finished (it is stored 'streaming' from its first message on). */
export async function waitForModelTurn(t: TestBot, threadId: string, timeoutMs: number): Promise<StoredTurn> {
	const store = t.bot.stores.sessions;
	return t.discord.waitFor(
		async () => (await store.listTurns(threadId)).find((turn) => turn.role === 'model' && turn.status !== 'streaming'),
		{
			timeoutMs,
			description: `model turn in thread ${threadId}`,
		},
	);
}

/** Deterministic prose in `count` chunks of about `size` characters, a paragraph break every `paragraphEvery`. */
export function proseChunks(count: number, size: number, paragraphEvery = 6): string[] {
	const words = ['stream', 'thread', 'reply', 'gemini', 'discord', 'edit', 'chunk', 'queue', 'limit', 'bench'];
	return Array.from({ length: count }, (_, index) => {
		let chunk = '';
		for (let word = index; chunk.length < size - 8; word += 3) chunk += `${words[word % words.length] ?? 'x'} `;
		return (index + 1) % paragraphEvery === 0 ? `${chunk.trimEnd()}.\n\n` : chunk;
	});
}

/** How often discord.js queued a request to respect a rate limit, from the bot's own debug log. */
export function rateLimitWaits(t: TestBot): { global: number; route: number } {
	const waits = t.logLines
		.filter((line) => line.includes('"discord rate limit: waiting"'))
		.map((line) => line.includes('"global":true'));
	return { global: waits.filter(Boolean).length, route: waits.filter((global) => !global).length };
}
