import { EDIT_INTERVAL_MS, members, UNADVERTISED_LIMITS } from './bench-bot.js';
import type { Scenario, ScenarioResult } from './scenario.js';
import { withBenchBot } from './scenario.js';
import { p50p95max, percentile, range } from './stats.js';
import { no429sTarget } from './rate-limit-report.js';
import { buckets, commonRows, liveEditRates } from './stream-metrics.js';
import type { PlanShape } from './stream-plans.js';
import { REALISTIC, streamPlans } from './stream-plans.js';
import type { StreamResult } from './stream-round.js';
import { runStreamRounds } from './stream-round.js';
import { atMost } from './targets.js';
import { maxBucketWrites } from './thread-writes.js';

const STREAMS = 50;
const ROUNDS = 2;
const MEMBERS = 10;
const ENV = { GEMINI_CONCURRENCY: String(STREAMS), GEMINI_RPM: '10000', GEMINI_USER_QUEUE_MAX: '100' } as const;
/** As (b), but about a third of the answers take more than 1 s to their first chunk, when typing should show. */
const SHAPE: PlanShape = { ...REALISTIC, firstChunkDelayMs: [200, 1_600] };
/** The bot shows "typing…" once the first text is this far away. */
const TYPING_AFTER_MS = 1_000;

/** The first answer text came more than `ms` after the bot created the thread. */
const firstAnswerLaterThan = (result: StreamResult, ms: number): boolean =>
	(result.timeline.firstAnswerAt ?? Number.NaN) - result.threadCreatedAt > ms;

export const streams50Scenario: Scenario = {
	name: 'streams50',
	letter: 'd',
	title: `(d) ${STREAMS} concurrent streams: write priorities under load`,
	onBenchBackend: true,
	async run(): Promise<ScenarioResult> {
		const failures: string[] = [];
		return withBenchBot(ENV, async (bench) => {
			const { t } = bench;
			const askers = members(t, MEMBERS);
			const { results, loopDelay } = await runStreamRounds(
				bench,
				{
					rounds: ROUNDS,
					plansFor: (round) => streamPlans(STREAMS, askers, SHAPE, { seed: 5_000 + round, label: `d${round}` }),
					timeoutMs: 90_000,
				},
				failures,
			);
			const finalLags = results.map((result) => result.finalLag);
			const perThread5s = results.map((result) => {
				const most = maxBucketWrites(t, result.threadId, 5_000);
				return Math.max(most.creates, most.edits);
			});
			const rates = liveEditRates(results);
			const typed = results.filter((result) => result.typing.length > 0);
			const expectTyping = results.filter((result) => firstAnswerLaterThan(result, TYPING_AFTER_MS));
			const earlyTyped = typed.filter((result) => !firstAnswerLaterThan(result, TYPING_AFTER_MS));
			const format = (value: number): string => `${Math.round(value)} ms (n=${finalLags.length})`;
			return {
				setup:
					`${ROUNDS} rounds; each round ${STREAMS} mentions at once from ${MEMBERS} members, each a new thread; every ` +
					`answer ${SHAPE.chunks.join('–')} chunks of ${SHAPE.chunkSize.join('–')} chars every ` +
					`${SHAPE.chunkDelayMs.join('–')} ms, first chunk after ${SHAPE.firstChunkDelayMs.join('–')} ms (varied per ` +
					`thread, fixed seed); ${UNADVERTISED_LIMITS}; STREAM_EDIT_INTERVAL_MS=${EDIT_INTERVAL_MS}, ` +
					`GEMINI_CONCURRENCY=${ENV.GEMINI_CONCURRENCY}, GEMINI_RPM=${ENV.GEMINI_RPM}, ` +
					`GEMINI_USER_QUEUE_MAX=${ENV.GEMINI_USER_QUEUE_MAX}. n = ${results.length} threads.`,
				header: ['metric', 'value'],
				rows: [
					...commonRows(t, results, loopDelay),
					['last chunk → complete text, distribution', buckets(finalLags, [100, 500, 1_000, 1_500])],
					[
						'max creates or edits per thread in any 5 s: p50 / max (threads above 5)',
						`${percentile(perThread5s, 50)} / ${Math.max(...perThread5s)} (${perThread5s.filter((count) => count > 5).length})`,
					],
					[
						'edits per second per message while streaming p50 / p95 / max (messages live ≥ 2 s)',
						`${rates.length === 0 ? 'n/a' : [50, 95, 100].map((p) => percentile(rates, p).toFixed(2)).join(' / ')} (n=${rates.length})`,
					],
					[
						'threads with typing / first answer > 1 s after thread created / typing although ≤ 1 s',
						`${typed.length} / ${expectTyping.length} / ${earlyTyped.length}`,
					],
					[
						'first chunk delay of threads with typing (range)',
						typed.length === 0 ? 'n/a' : `${range(typed.map((r) => r.plan.firstChunkDelayMs))} ms`,
					],
					[
						'thread created → first answer text p50 / p95 / max',
						p50p95max(results.map((r) => (r.timeline.firstAnswerAt ?? NaN) - r.threadCreatedAt)),
					],
				],
				failures,
				targets: [
					atMost('(d) last chunk → complete text, p95 ≤ 1.5 s', percentile(finalLags, 95), 1_500, format),
					no429sTarget('d', t),
				],
			};
		});
	},
};
