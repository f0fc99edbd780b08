import { EDIT_INTERVAL_MS, members, UNADVERTISED_LIMITS } from './bench-bot.js';
import type { TappedExchange } from './chunk-tap.js';
import { discord429s } from './rate-limit-report.js';
import type { Scenario, ScenarioResult } from './scenario.js';
import { check, withBenchBot } from './scenario.js';
import { ms, p50p95max, percentile } from './stats.js';
import type { PlanShape } from './stream-plans.js';
import { streamPlans } from './stream-plans.js';
import { runStreamRound, runStreamRounds } from './stream-round.js';
import type { StreamResult } from './stream-round.js';
import { atMost } from './targets.js';
import { withFakeMetadata } from './with-fake-metadata.js';

const LOCATIONS = ['us-central1', 'europe-west4'] as const;
const FAILING = LOCATIONS[0];
const AT_ONCE = 4;
const WAVES = 5;
const QUESTIONS = AT_ONCE * WAVES;
/** Vertex AI in two locations, with room enough that no per-minute window or stream slot delays a call. */
const ENV = {
	GEMINI_API_KEY: '',
	GOOGLE_GENAI_USE_VERTEXAI: 'true',
	GOOGLE_CLOUD_PROJECT: 'fake-project',
	VERTEX_LOCATIONS: LOCATIONS.join(','),
	MODEL_RPM: '1000',
	MODEL_CONCURRENCY: '8',
} as const;
/** Short answers with a fixed time to first token: between the two runs, only the failover differs. */
const SHAPE: PlanShape = {
	chunks: [6, 12],
	chunkSize: [24, 48],
	chunkDelayMs: [50, 50],
	firstChunkDelayMs: [200, 200],
};
/**
 * A local round trip to the fake plus the bot's turn to the next location takes a few ms (measured below); the rest
 * of the limit is room for the bench process's own stalls (event-loop delay p99 10–40 ms with everything in one
 * process). A failover that waited instead (the retry policy's backoff) would add at least 500 ms.
 */
const ADDED_WAIT_LIMIT_MS = 50;

type Run = { results: StreamResult[]; calls: TappedExchange[]; served: string; loopDelay: string };

const locationOf = (exchange: TappedExchange): string => /\/locations\/([^/]+)\//.exec(exchange.path)?.[1] ?? '?';
const firstAnswerWait = (result: StreamResult): number =>
	(result.timeline.firstAnswerAt ?? Number.NaN) - result.askedAt;

/** One bot: a question per location one after the other (each location's client gets its token then), then waves. */
async function runWaves(down: boolean, failures: string[]): Promise<Run> {
	return withBenchBot(ENV, async (bench) => {
		const askers = members(bench.t, AT_ONCE);
		for (const [index, location] of LOCATIONS.entries()) {
			const plans = streamPlans(1, askers, SHAPE, { seed: 1_390 + index, label: `k warm-up ${location}` });
			await runStreamRound(bench, plans, failures);
		}
		if (down) bench.t.gemini.failLocation(FAILING, { kind: 'resource-exhausted' });
		const warmUpCalls = bench.tap.exchanges.length;
		const { results, loopDelay } = await runStreamRounds(
			bench,
			{
				rounds: WAVES,
				maxCalls: down ? 2 : 1,
				plansFor: (wave) => streamPlans(AT_ONCE, askers, SHAPE, { seed: 1_300 + wave, label: `k${wave}` }),
			},
			failures,
		);
		return { results, loopDelay, calls: bench.tap.exchanges.slice(warmUpCalls), served: discord429s(bench.t) };
	});
}

/** "us-central1 10, europe-west4 10", 429s in parentheses. */
function callsPerLocation(calls: readonly TappedExchange[]): string {
	return LOCATIONS.map((location) => {
		const here = calls.filter((call) => locationOf(call) === location);
		const refused = here.filter((call) => call.status === 429).length;
		return `${location} ${here.length}${refused > 0 ? ` (${refused} × 429)` : ''}`;
	}).join(', ');
}

/** Calls that started at the failing location after its first 429 had come back (the hold-off should stop them). */
function callsAfterFirst429(calls: readonly TappedExchange[]): number {
	const failing = calls.filter((call) => locationOf(call) === FAILING);
	const cameBack = failing.find((call) => call.status === 429)?.endedAt;
	return cameBack === undefined ? 0 : failing.filter((call) => call.startedAt > cameBack).length;
}

const answered = (results: readonly StreamResult[]): number =>
	results.filter((result) => result.turn.status === 'complete' && result.timeline.finalText === result.plan.text)
		.length;

/** Moved questions: their 429 call, the next one, and how much longer they waited than the same question healthy. */
function failovers(healthy: readonly StreamResult[], down: readonly StreamResult[]) {
	return down.flatMap((result, index) => {
		const [refused, next] = result.calls;
		if (!refused || !next || refused.endedAt === undefined) return [];
		const before = healthy[index];
		return [
			{
				roundTrip: refused.endedAt - refused.startedAt,
				turnaround: next.startedAt - refused.endedAt,
				gap: next.startedAt - refused.startedAt,
				addedWait: firstAnswerWait(result) - (before ? firstAnswerWait(before) : Number.NaN),
			},
		];
	});
}

export const vertexScenario: Scenario = {
	name: 'vertex',
	letter: 'k',
	title: `(k) Vertex AI over ${LOCATIONS.length} locations, one answering 429 to every call`,
	onBenchBackend: true,
	async run(): Promise<ScenarioResult> {
		const failures: string[] = [];
		const { healthy, down } = await withFakeMetadata(async () => ({
			healthy: await runWaves(false, failures),
			down: await runWaves(true, failures),
		}));
		const moved = failovers(healthy.results, down.results);
		const waits = { healthy: healthy.results.map(firstAnswerWait), down: down.results.map(firstAnswerWait) };
		const p50Difference = percentile(waits.down, 50) - percentile(waits.healthy, 50);
		const maxAdded = Math.max(...moved.map((failover) => failover.addedWait));
		const late = callsAfterFirst429(down.calls);
		check(failures, moved.length > 0, `no question moved away from ${FAILING}`);
		const values = (pick: (failover: (typeof moved)[number]) => number): string =>
			moved.map((failover) => ms(pick(failover))).join(', ');
		return {
			setup:
				`Two bots in turn, each with fresh fakes: Vertex AI (GOOGLE_GENAI_USE_VERTEXAI=true, ` +
				`VERTEX_LOCATIONS=${ENV.VERTEX_LOCATIONS}, credentials from the fake metadata server), ` +
				`MODEL_RPM=${ENV.MODEL_RPM}, MODEL_CONCURRENCY=${ENV.MODEL_CONCURRENCY}. Each first asks one question per ` +
				`location, one after the other (not measured: tokens fetched), then ${WAVES} waves of ${AT_ONCE} mentions at ` +
				`once from ${AT_ONCE} members, each a new thread, the next wave when every reply is stored; every answer ` +
				`${SHAPE.chunks.join('–')} chunks of ${SHAPE.chunkSize.join('–')} chars every ${SHAPE.chunkDelayMs[0]} ms, ` +
				`first chunk after ${SHAPE.firstChunkDelayMs[0]} ms (fixed seed: the same questions in both runs). In the ` +
				`second run the fake Gemini answers every call to ${FAILING} with Vertex's 429 RESOURCE_EXHAUSTED (no ` +
				`retry delay) from the first wave on. ${UNADVERTISED_LIMITS}; STREAM_EDIT_INTERVAL_MS=${EDIT_INTERVAL_MS}. ` +
				'Call times at the tap in front of the fake Gemini.',
			header: ['metric', 'both locations up', `${FAILING} answering 429`],
			rows: [
				[`questions answered (of ${QUESTIONS})`, String(answered(healthy.results)), String(answered(down.results))],
				['model calls per location', callsPerLocation(healthy.calls), callsPerLocation(down.calls)],
				[`calls to ${FAILING} after its first 429 came back`, '–', String(late)],
				['questions moved to the other location', '0', String(moved.length)],
				[
					'mention → model request p50 / p95 / max',
					p50p95max(healthy.results.map((result) => (result.calls[0]?.startedAt ?? Number.NaN) - result.askedAt)),
					p50p95max(down.results.map((result) => (result.calls[0]?.startedAt ?? Number.NaN) - result.askedAt)),
				],
				['mention → first answer text p50 / p95 / max', p50p95max(waits.healthy), p50p95max(waits.down)],
				['p50 difference (429 run − healthy)', '', ms(p50Difference)],
				['moved questions: 429 call round trip (at the tap)', '–', values((failover) => failover.roundTrip)],
				['moved questions: 429 back → call to the other location', '–', values((failover) => failover.turnaround)],
				['moved questions: added wait vs the same question, both up', '–', values((failover) => failover.addedWait)],
				['Discord 429s served (global)', healthy.served, down.served],
				['event-loop delay, bench process (bot + fakes) p50 / p99 / max', healthy.loopDelay, down.loopDelay],
			],
			failures,
			targets: [
				{
					label: `(k) every question answered, both up / ${FAILING} answering 429`,
					pass: answered(healthy.results) === QUESTIONS && answered(down.results) === QUESTIONS,
					value: `${answered(healthy.results)} / ${answered(down.results)} of ${QUESTIONS}`,
				},
				atMost(
					`(k) mention → first answer text, p50 with ${FAILING} answering 429 − p50 both up ≤ ${ADDED_WAIT_LIMIT_MS} ms`,
					p50Difference,
					ADDED_WAIT_LIMIT_MS,
					ms,
				),
				atMost(
					`(k) added wait of a question moved after a 429 (max) ≤ ${ADDED_WAIT_LIMIT_MS} ms`,
					maxAdded,
					ADDED_WAIT_LIMIT_MS,
					(value) => `${ms(value)} (n=${moved.length})`,
				),
				{
					label: `(k) calls to ${FAILING} after its first 429 came back = 0`,
					pass: late === 0,
					value: `${late} (${callsPerLocation(down.calls)})`,
				},
			],
		};
	},
};
