import type { Environment } from '../src/config/config.js';
import type { StoredTurn } from '../src/domain/turn.js';
import type { RecordedGeminiRequest } from '../test/fakes/fake-gemini/index.js';
import type { TestBot } from '../test/support/start-test-bot.js';
import { ask, waitForModelTurn } from './bench-bot.js';
import type { Scenario, ScenarioResult } from './scenario.js';
import { check, withBenchBot } from './scenario.js';
import { atMost } from './targets.js';

const EXCHANGES = 36;
/** Small enough that 36 exchanges outgrow it several times, and each reply is one Discord write. */
const BUDGET = 4_000;
const QUESTION_CHARS = 200;
const ANSWER_CHARS = 1_400;
const SUMMARY_CHARS = 1_200;
/** Implicit caching starts at a prefix of this many tokens (Gemini 2.5 Flash). */
const MIN_CACHED_TOKENS = 1_024;
const LAST = 10;
/** What a cached token costs, as a share of an uncached one: implicit caching's 90% discount on 2.5 models. */
const CACHED_PRICE = 0.1;
const RPM = { GEMINI_RPM: '10000' } as const;
const WAYS: readonly { readonly name: string; readonly env: Environment }[] = [
	{ name: `memory (budget ${BUDGET.toLocaleString('en-US')})`, env: { ...RPM, CONTEXT_TOKEN_BUDGET: String(BUDGET) } },
	{ name: 'whole history (as before)', env: { ...RPM, CONTEXT_TOKEN_BUDGET: '2000000' } },
];

const isSummaryRequest = (request: RecordedGeminiRequest): boolean =>
	request.systemInstruction?.includes('You keep the memory of a long Discord conversation') === true;
const text = (seed: string, length: number): string => `${seed} ${'lorem ipsum dolor sit amet '.repeat(length / 27)}`;
const tokens = (value: number): string => Math.round(value).toLocaleString('en-US');

/** Characters two strings share from their start. */
function commonPrefix(a: string, b: string): number {
	let index = 0;
	while (index < a.length && index < b.length && a.charCodeAt(index) === b.charCodeAt(index)) index += 1;
	return index;
}

type WayResult = {
	readonly replies: readonly StoredTurn[];
	readonly summaries: { calls: number; prompt: number; output: number };
	readonly withSummary: number;
};

/**
 * The fake Gemini's answers: fixed-size replies and summaries. Cached tokens are modelled on implicit caching: the
 * prefix this reply request shares with the thread's previous one, at 4 characters a token, from 1,024 tokens.
 */
function answerLikeGemini(t: TestBot): void {
	let previous = '';
	t.gemini.respondWith((request) => {
		if (isSummaryRequest(request)) return { kind: 'reply', chunks: [text('Summary:', SUMMARY_CHARS)] };
		const prompt = JSON.stringify([request.systemInstruction, request.contents]);
		const shared = Math.floor(commonPrefix(previous, prompt) / 4);
		previous = prompt;
		return {
			kind: 'reply',
			chunks: [text('Answer:', ANSWER_CHARS)],
			usage: { cachedContentTokenCount: shared >= MIN_CACHED_TOKENS ? shared : 0 },
		};
	});
}

async function runThread(env: Environment): Promise<WayResult> {
	return withBenchBot(env, async ({ t }) => {
		answerLikeGemini(t);
		const { threadId } = await ask(t, text('Question 0:', QUESTION_CHARS));
		await waitForModelTurn(t, threadId, 30_000);
		const store = t.bot.stores.sessions;
		for (let index = 1; index < EXCHANGES; index += 1) {
			await t.discord.userSays(threadId, t.discord.users.alice, text(`Question ${index}:`, QUESTION_CHARS));
			await t.discord.waitFor(
				async () =>
					(await store.listTurns(threadId, { includeExcluded: true })).filter((turn) => turn.status === 'complete')
						.length > index,
				{ timeoutMs: 30_000, description: `reply ${index}` },
			);
		}
		// A fold started by the last reply may still be running.
		await new Promise((resolve) => setTimeout(resolve, 500));
		// PostgreSQL sums BIGINT columns as NUMERIC, which arrives as a string.
		const [summaryCalls] = await t.sql.rows<{
			calls: number;
			prompt: number | string | null;
			output: number | string | null;
		}>(
			`SELECT count(*) AS calls, sum(prompt_tokens) AS prompt, sum(output_tokens) AS output
			 FROM usage_records WHERE kind = ?`,
			'summary',
		);
		const replyRequests = t.gemini.requests.filter((request) => !isSummaryRequest(request));
		return {
			replies: (await store.listTurns(threadId, { includeExcluded: true })).filter((turn) => turn.role === 'model'),
			summaries: {
				calls: summaryCalls?.calls ?? 0,
				prompt: Number(summaryCalls?.prompt ?? 0),
				output: Number(summaryCalls?.output ?? 0),
			},
			withSummary: replyRequests.filter((request) => request.contents[0]?.text.startsWith('Earlier in this thread'))
				.length,
		};
	});
}

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

export const memoryScenario: Scenario = {
	name: 'memory',
	letter: 'i',
	title: `(i) Long thread: ${EXCHANGES} exchanges with the rolling summary and without`,
	onBenchBackend: true,
	async run(): Promise<ScenarioResult> {
		const failures: string[] = [];
		// The two bots have their own fakes and database, and run side by side.
		const results = await Promise.all(WAYS.map((way) => runThread(way.env)));
		const rows = results.map((result, index) => {
			const prompts = result.replies.map((turn) => turn.usage.promptTokens ?? Number.NaN);
			const cached = result.replies.map((turn) => turn.usage.cachedTokens ?? 0);
			const total = sum(prompts) + result.summaries.prompt;
			check(failures, result.replies.length === EXCHANGES, `${WAYS[index]?.name}: ${result.replies.length} replies`);
			return {
				prompts,
				cells: [
					WAYS[index]?.name ?? '',
					`${tokens(Math.max(...prompts))} / ${tokens(sum(prompts.slice(-LAST)) / LAST)}`,
					`${result.summaries.calls}: ${tokens(result.summaries.prompt)} / ${tokens(result.summaries.output)}`,
					tokens(total),
					`${tokens(sum(cached))} (${Math.round((sum(cached) / total) * 100)}%)`,
					tokens(total - sum(cached) * (1 - CACHED_PRICE)),
					String(result.withSummary),
				],
			};
		});
		const [memory, whole] = rows;
		const memoryLast = sum(memory?.prompts.slice(-LAST) ?? []);
		const wholeLast = sum(whole?.prompts.slice(-LAST) ?? []);
		check(failures, (results[0]?.summaries.calls ?? 0) > 0, 'the memory run made no summary');
		check(failures, results[1]?.summaries.calls === 0, 'the whole-history run made a summary');
		return {
			setup:
				`Two bots side by side, each with its own fakes and database: one thread of ${EXCHANGES} exchanges from one ` +
				`member (questions of ${QUESTION_CHARS} characters, answers of ${ANSWER_CHARS} in one chunk, each question ` +
				`sent once the previous answer is stored), with CONTEXT_TOKEN_BUDGET=${BUDGET} (summaries of ` +
				`${SUMMARY_CHARS} characters) and with a budget no thread reaches (the whole history, as every reply ` +
				'did before this work). Prompt tokens are what the fake Gemini reports (JSON characters / 4); cached tokens ' +
				`model implicit caching: the prefix a request shares with the previous reply request, from ` +
				`${MIN_CACHED_TOKENS} tokens, as if Gemini's best-effort cache always hit; "billed" counts a cached token as ` +
				`${CACHED_PRICE} of an uncached one. Summary output tokens are listed apart (output costs more than input).`,
			header: [
				'way',
				`reply prompt: largest / mean of last ${LAST}`,
				'summary calls: in / out',
				'input tokens, all calls',
				'of which cached (if the cache always hits)',
				`input billed then (cached at ${CACHED_PRICE * 100}%)`,
				'replies sent with the summary',
			],
			rows: rows.map((row) => row.cells),
			failures,
			targets: [
				atMost(
					`(i) every reply prompt ≤ the budget (${tokens(BUDGET)} tokens)`,
					Math.max(...(memory?.prompts ?? [Number.NaN])),
					BUDGET,
					tokens,
				),
				atMost(
					`(i) last ${LAST} replies' prompt tokens ≤ 50% of the whole history's`,
					(memoryLast / wholeLast) * 100,
					50,
					(value) => `${Math.round(value)}%`,
				),
			],
		};
	},
};
