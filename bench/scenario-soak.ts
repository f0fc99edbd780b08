import { ask, EDIT_INTERVAL_MS, rateLimitWaits, proseChunks, waitForModelTurn } from './bench-bot.js';
import type { Scenario, ScenarioResult } from './scenario.js';
import { check, withBenchBot } from './scenario.js';
import { ms, seconds, summarize } from './stats.js';
import { threadTimeline, unchangedEdits } from './thread-writes.js';

const THREADS = 10;
const CHUNKS = 80;
const CHUNK_DELAY_MS = 100;
const CHUNK_SIZE = 100;
const ENV = { GEMINI_CONCURRENCY: String(THREADS), GEMINI_RPM: '60' } as const;

const marker = (thread: number): string => `soak thread ${thread}:`;
const range = (values: readonly number[]): string => `${Math.min(...values)}–${Math.max(...values)}`;

export const soakScenario: Scenario = {
	name: 'soak',
	title: `4. Soak: ${THREADS} threads streaming at once`,
	async run(): Promise<ScenarioResult> {
		const failures: string[] = [];
		const chunks = proseChunks(CHUNKS, CHUNK_SIZE);
		const modelText = chunks.join('');
		const rows = await withBenchBot(ENV, async ({ t, tap }) => {
			for (let thread = 0; thread < THREADS; thread += 1) {
				t.gemini.enqueue({ kind: 'reply', chunks, chunkDelayMs: CHUNK_DELAY_MS });
			}
			const startedAt = Date.now();
			const asked = await Promise.all(
				Array.from({ length: THREADS }, (_, thread) => ask(t, `${marker(thread)} a long answer please`)),
			);
			const turns = await Promise.all(asked.map(({ threadId }) => waitForModelTurn(t, threadId, 60_000)));
			const timelines = asked.map(({ threadId }) => threadTimeline(t, threadId, modelText));
			const lastWriteAt = Math.max(...timelines.map((timeline) => timeline.lastWriteAt ?? Number.NaN));
			const lastChunkAt = Math.max(...tap.exchanges.map((exchange) => exchange.eventTimes.at(-1) ?? Number.NaN));
			const perThread = (windowMs: number) =>
				asked.map(({ threadId }) => t.discord.maxMessageWritesInWindow(threadId, windowMs));
			const firstText = asked.map(({ askedAt }, index) => (timelines[index]?.firstTextAt ?? Number.NaN) - askedAt);
			const tail = timelines.map((timeline, index) => {
				const lastChunk = tap.find(marker(index))?.eventTimes.at(-1);
				return lastChunk === undefined ? Number.NaN : (timeline.completeAt ?? Number.NaN) - lastChunk;
			});
			const waits = rateLimitWaits(t);
			for (const [index, timeline] of timelines.entries()) {
				check(failures, timeline.finalText === modelText, `thread ${index}: final text differs from the model text`);
				check(failures, turns[index]?.status === 'complete', `thread ${index}: reply not complete`);
			}
			check(
				failures,
				tap.exchanges.length === THREADS,
				`expected ${THREADS} Gemini calls, got ${tap.exchanges.length}`,
			);
			const firstSummary = summarize(firstText);
			const tailSummary = summarize(tail);
			return [
				['total time (first mention → last write)', seconds(lastWriteAt - startedAt)],
				['last chunk (any thread) → last write', ms(lastWriteAt - lastChunkAt)],
				['Gemini streams open at once (max)', String(t.gemini.stats.maxConcurrentStreams)],
				['Discord 429s served (target 0)', String(t.discord.stats.served429)],
				['max writes per channel in any 5 s (max over threads)', String(Math.max(...perThread(5_000)))],
				['max writes per channel in any 1 s (max over threads)', String(Math.max(...perThread(1_000)))],
				['messages per thread', range(timelines.map((timeline) => timeline.messageCount))],
				['writes per thread (creates + edits)', range(timelines.map((timeline) => timeline.writes.length))],
				['content-unchanged / identical edits (all threads)', unchangedEdits(timelines)],
				['discord.js rate-limit waits: per-route / global', `${waits.route} / ${waits.global}`],
				['Discord REST requests (all)', String(t.discord.stats.restRequests)],
				['mention → first visible text p50 / p95', `${ms(firstSummary.p50)} / ${ms(firstSummary.p95)}`],
				[
					'last chunk → final text p50 / p95 / max',
					`${ms(tailSummary.p50)} / ${ms(tailSummary.p95)} / ${ms(tailSummary.max)}`,
				],
				['all final texts equal the model text', failures.length === 0 ? 'yes' : 'NO'],
			];
		});
		return {
			setup:
				`${THREADS} mentions at once, each a new thread; each answer is ${CHUNKS} chunks of ~${CHUNK_SIZE} chars every ` +
				`${CHUNK_DELAY_MS} ms (${modelText.length} chars → several 2,000-char messages); fake Discord default per-channel ` +
				`limits (5 creates + 5 edits per 5 s, advertised); STREAM_EDIT_INTERVAL_MS=${EDIT_INTERVAL_MS}, ` +
				`GEMINI_CONCURRENCY=${ENV.GEMINI_CONCURRENCY}, GEMINI_RPM=${ENV.GEMINI_RPM}.`,
			header: ['metric', 'value'],
			rows,
			failures,
		};
	},
};
