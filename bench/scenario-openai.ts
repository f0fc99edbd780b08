import { EDIT_INTERVAL_MS, OPENAI_MODEL, UNADVERTISED_LIMITS } from './bench-bot.js';
import { discord429s, no429sTarget } from './rate-limit-report.js';
import { LATENCY_ENV, LATENCY_PLAN, LATENCY_RUNS, measureLatency } from './scenario-latency.js';
import { runStreams12, STREAMS12_ENV, streams12Plan } from './scenario-streams-12.js';
import type { Scenario, ScenarioResult } from './scenario.js';
import { withBenchBot } from './scenario.js';
import { p50p95max } from './stats.js';
import { medianTarget, watchEventLoop } from './stream-metrics.js';
import type { ThreadTimeline } from './thread-writes.js';
import { unchangedEdits } from './thread-writes.js';

/** Two of (b)'s three rounds (its first two, the same answers), so that this workload stays under 30 s. */
const ROUNDS = 2;

const row = (label: string, one: readonly number[], twelve: readonly number[]): string[] => [
	label,
	p50p95max(one),
	p50p95max(twelve),
];

const writesOf = (timelines: readonly ThreadTimeline[]): string =>
	`${timelines.flatMap((timeline) => timeline.writes).length}; ${unchangedEdits(timelines)}`;

/** Workload (a), then workload (b), each on a fresh bot whose model is an OpenAI-compatible endpoint. */
export const openAiScenario: Scenario = {
	name: 'openai',
	letter: 'j',
	title: '(j) The OpenAI-compatible path: one stream at a time, and 12 concurrent streams',
	onBenchBackend: true,
	async run(): Promise<ScenarioResult> {
		const failures: string[] = [];
		const one = await withBenchBot(
			LATENCY_ENV,
			async (bench) => {
				const eventLoop = watchEventLoop();
				const samples = await measureLatency(bench, failures);
				const loopDelay = eventLoop.stop();
				return { samples, loopDelay, served: discord429s(bench.t), streams: bench.model.maxConcurrentStreams() };
			},
			'openai',
		);
		const twelve = await withBenchBot(
			STREAMS12_ENV,
			async (bench) => ({
				...(await runStreams12(bench, failures, ROUNDS)),
				served: discord429s(bench.t),
				no429s: no429sTarget('j, 12 streams', bench.t),
				streams: bench.model.maxConcurrentStreams(),
			}),
			'openai',
		);
		const { samples } = one;
		const { results } = twelve;
		const endLags = results.map((result) => result.endLag);
		const firstLags = results.map((result) => result.firstAnswerLag);
		return {
			setup:
				`MODEL=${OPENAI_MODEL}, OPENAI_BASE_URL=a pass-through tap in front of the fake OpenAI-compatible ` +
				"server (no key), GEMINI_API_KEY='' (no Gemini). 1 stream: workload (a), " +
				`${LATENCY_RUNS} sequential mentions; ${LATENCY_PLAN}; GEMINI_RPM=${LATENCY_ENV.GEMINI_RPM}. ` +
				`12 streams: workload (b), ${streams12Plan(ROUNDS)} ((b)'s first two); ` +
				`GEMINI_CONCURRENCY=${STREAMS12_ENV.GEMINI_CONCURRENCY}, GEMINI_RPM=${STREAMS12_ENV.GEMINI_RPM}, ` +
				`GEMINI_USER_QUEUE_MAX=${STREAMS12_ENV.GEMINI_USER_QUEUE_MAX}. Both: ${UNADVERTISED_LIMITS}; ` +
				`STREAM_EDIT_INTERVAL_MS=${EDIT_INTERVAL_MS}. The fake streams a role chunk (after the first-chunk delay), ` +
				'one chunk per text, a finish chunk, a usage chunk and [DONE], each a chunk delay after the one before ' +
				'([DONE] right after the usage chunk): "first / last text chunk" are chunks with delta.content, "end of ' +
				'stream" is [DONE]. Values are p50 / p95 / max.',
			header: ['metric', `1 stream (${samples.askToFirstText.length} runs)`, `12 streams (n = ${results.length})`],
			rows: [
				row(
					'mention → OpenAI request',
					samples.askToModelRequest,
					results.map((result) => (result.exchange?.startedAt ?? Number.NaN) - result.askedAt),
				),
				row(
					'mention → first visible text',
					samples.askToFirstText,
					results.map((result) => (result.timeline.firstTextAt ?? Number.NaN) - result.askedAt),
				),
				row('first text chunk → first answer text (bot overhead)', samples.firstChunkToFirstText, firstLags),
				row(
					'last text chunk → complete text',
					samples.lastChunkToFinalText,
					results.map((result) => result.finalLag),
				),
				row(
					"last text chunk → end of stream (the fake's finish and usage chunks)",
					samples.lastChunkToFinalText.map((lag, index) => lag - (samples.streamEndToFinalText[index] ?? Number.NaN)),
					results.map((result) => result.streamEndAt - result.lastChunkAt),
				),
				row('end of stream ([DONE]) → complete text (final lag)', samples.streamEndToFinalText, endLags),
				[
					'writes (creates + edits); content-unchanged / identical edits',
					writesOf(samples.timelines),
					writesOf(results.map((result) => result.timeline)),
				],
				['Discord 429s served (global)', one.served, twelve.served],
				['OpenAI streams open at once (max)', String(one.streams), String(twelve.streams)],
				['event-loop delay, bench process (bot + fakes) p50 / p99 / max', one.loopDelay, twelve.loopDelay],
			],
			failures,
			targets: [
				medianTarget('(j) 1 stream: end of stream → complete text, median ≤ 100 ms', samples.streamEndToFinalText, 100),
				medianTarget(
					'(j) 1 stream: first chunk → first visible text, median ≤ 50 ms',
					samples.firstChunkToFirstText,
					50,
				),
				medianTarget('(j) 12 streams: end of stream → complete text, median ≤ 100 ms', endLags, 100),
				medianTarget('(j) 12 streams: first chunk → first answer text, median ≤ 50 ms', firstLags, 50),
				twelve.no429s,
			],
		};
	},
};
