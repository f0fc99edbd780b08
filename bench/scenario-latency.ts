import type { BenchBackend } from './backend.js';
import { BACKENDS, backendName, onBackend, onEachBackend } from './backend.js';
import {
	ask,
	EDIT_INTERVAL_MS,
	proseChunks,
	UNADVERTISED_LIMITS,
	useUnadvertisedLimits,
	waitForModelTurn,
} from './bench-bot.js';
import type { BenchBot } from './bench-bot.js';
import type { Scenario, ScenarioResult } from './scenario.js';
import { check, withBenchBot } from './scenario.js';
import { ms, seconds, summarize } from './stats.js';
import { discord429s } from './rate-limit-report.js';
import { medianTarget } from './stream-metrics.js';
import type { ThreadTimeline } from './thread-writes.js';
import { threadTimeline, unchangedEdits } from './thread-writes.js';

export const LATENCY_RUNS = 20;
/** Above the run count, so the bot's own per-minute limit (default 10) never delays a run. */
export const LATENCY_ENV = { GEMINI_RPM: '1000' } as const;
const CHUNK_DELAY_MS = 50;
const CHUNK_SIZE = 24;
/** Run i streams 4 + i chunks, so the streams end at different points of the 1 s edit clock. */
const chunkCount = (run: number): number => 4 + run;

/** Workload (a)'s chunk plan, for the setup line of each workload that runs it. */
export const LATENCY_PLAN =
	`run i streams ${chunkCount(0)}+i chunks of ~${CHUNK_SIZE} chars every ${CHUNK_DELAY_MS} ms ` +
	'(first chunk sent at once, streams of 150–1,100 ms)';

export type LatencySamples = {
	askToModelRequest: number[];
	askToFirstText: number[];
	firstChunkToFirstText: number[];
	lastChunkToFinalText: number[];
	/** From the stream's last event: the last chunk for Gemini, `[DONE]` for OpenAI. */
	streamEndToFinalText: number[];
	timelines: ThreadTimeline[];
};

async function measureRun(bench: BenchBot, run: number, samples: LatencySamples, failures: string[]): Promise<void> {
	const { t, tap, model } = bench;
	const chunks = proseChunks(chunkCount(run), CHUNK_SIZE);
	const modelText = chunks.join('');
	model.enqueue({ kind: 'reply', chunks, chunkDelayMs: CHUNK_DELAY_MS });
	const marker = `latency run ${run}:`;
	const { threadId, askedAt } = await ask(t, `${marker} tell me something`);
	const turn = await waitForModelTurn(t, threadId, 15_000);
	const exchange = tap.find(marker);
	const timeline = threadTimeline(t, threadId, modelText);
	const texts = exchange ? model.textTimes(exchange) : [];
	const firstChunkAt = texts[0];
	const lastChunkAt = texts.at(-1);
	const streamEndAt = exchange?.eventTimes.at(-1);
	const { firstAnswerAt, completeAt } = timeline;
	check(failures, turn.status === 'complete', `run ${run}: reply status ${turn.status ?? 'none'}`);
	check(failures, timeline.finalText === modelText, `run ${run}: final text differs from the model text`);
	check(failures, texts.length === chunks.length, `run ${run}: expected ${chunks.length} SSE events with text`);
	if (!exchange || firstChunkAt === undefined || lastChunkAt === undefined || streamEndAt === undefined) return;
	if (firstAnswerAt === undefined || completeAt === undefined) return;
	samples.askToModelRequest.push(exchange.startedAt - askedAt);
	samples.askToFirstText.push(firstAnswerAt - askedAt);
	samples.firstChunkToFirstText.push(firstAnswerAt - firstChunkAt);
	samples.lastChunkToFinalText.push(completeAt - lastChunkAt);
	samples.streamEndToFinalText.push(completeAt - streamEndAt);
	samples.timelines.push(timeline);
}

const emptySamples = (): LatencySamples => ({
	askToModelRequest: [],
	askToFirstText: [],
	firstChunkToFirstText: [],
	lastChunkToFinalText: [],
	streamEndToFinalText: [],
	timelines: [],
});

/** Workload (a) on `bench`: Discord's limits unannounced, then the runs one after another, each a new thread. */
export async function measureLatency(bench: BenchBot, failures: string[]): Promise<LatencySamples> {
	const samples = emptySamples();
	useUnadvertisedLimits(bench.t);
	for (let run = 0; run < LATENCY_RUNS; run += 1) await measureRun(bench, run, samples, failures);
	return samples;
}

const row = (label: string, backend: BenchBackend, values: readonly number[]): string[] => {
	const summary = summarize(values);
	const cells = [summary.p50, summary.p95, summary.min, summary.max].map(ms);
	return [label, backendName(backend), ...cells, String(summary.n)];
};

const note = (label: string, backend: BenchBackend, value: string): string[] => [label, backendName(backend), value];

type BackendRun = {
	readonly backend: BenchBackend;
	readonly samples: LatencySamples;
	readonly served: string;
	/** From starting the bot to closing it. */
	readonly took: string;
};

/** Workload (a) on a fresh bot whose stores are on `backend`. */
async function runOn(backend: BenchBackend, failures: string[]): Promise<BackendRun> {
	const startedAt = Date.now();
	const measured = await withBenchBot(
		LATENCY_ENV,
		async (bench) => ({ samples: await measureLatency(bench, failures), served: discord429s(bench.t) }),
		'gemini',
		backend,
	);
	return { backend, ...measured, took: seconds(Date.now() - startedAt) };
}

/** Each metric's rows, one per backend, next to each other. */
function rowsOf(runs: readonly BackendRun[]): string[][] {
	const metrics: readonly [string, (samples: LatencySamples) => readonly number[]][] = [
		['mention → Gemini request', (samples) => samples.askToModelRequest],
		['mention → first visible text', (samples) => samples.askToFirstText],
		['first chunk → first visible text (bot overhead)', (samples) => samples.firstChunkToFirstText],
		['last chunk → complete text visible (final lag)', (samples) => samples.lastChunkToFinalText],
	];
	const writes = ({ samples }: BackendRun): string => {
		const count = samples.timelines.flatMap((timeline) => timeline.writes).length;
		return `${count}; ${unchangedEdits(samples.timelines)}`;
	};
	return [
		...metrics.flatMap(([label, values]) => runs.map((run) => row(label, run.backend, values(run.samples)))),
		...runs.map((run) =>
			note('writes (creates + edits); content-unchanged / identical edits', run.backend, writes(run)),
		),
		...runs.map((run) => note('Discord 429s served (global)', run.backend, run.served)),
		...runs.map((run) => note('time, bot start to close', run.backend, run.took)),
	];
}

export const latencyScenario: Scenario = {
	name: 'latency',
	letter: 'a',
	title: '(a) One stream at a time: first visible text and final text, on SQLite and on PostgreSQL',
	async run(): Promise<ScenarioResult> {
		const failures: string[] = [];
		const results = await onEachBackend(failures, runOn);
		// A backend that could not run shows n/a.
		const runs = BACKENDS.map(
			(backend) => results.get(backend) ?? { backend, samples: emptySamples(), served: 'n/a', took: 'n/a' },
		);
		return {
			setup:
				`On each backend in turn, a fresh bot (SQLite: a temp file; PostgreSQL: a schema of its own on ` +
				`TEST_DATABASE_URL): ${LATENCY_RUNS} sequential mentions, each a new thread; ${LATENCY_PLAN}; ` +
				`${UNADVERTISED_LIMITS}; STREAM_EDIT_INTERVAL_MS=${EDIT_INTERVAL_MS}, GEMINI_RPM=${LATENCY_ENV.GEMINI_RPM}; ` +
				'chunk times taken at a pass-through tap in front of the fake Gemini.',
			header: ['metric', 'backend', 'p50', 'p95', 'min', 'max', 'n'],
			rows: rowsOf(runs),
			failures,
			targets: runs.flatMap(({ backend, samples }) => [
				onBackend(
					backend,
					medianTarget('(a) last chunk → complete text, median ≤ 100 ms', samples.lastChunkToFinalText, 100),
				),
				onBackend(
					backend,
					medianTarget('(a) first chunk → first visible text, median ≤ 50 ms', samples.firstChunkToFirstText, 50),
				),
			]),
		};
	},
};
