import { EDIT_INTERVAL_MS, members, UNADVERTISED_LIMITS } from './bench-bot.js';
import type { Scenario, ScenarioResult } from './scenario.js';
import { withBenchBot } from './scenario.js';
import { p50p95max } from './stats.js';
import { no429sTarget } from './rate-limit-report.js';
import { commonRows, medianTarget } from './stream-metrics.js';
import type { PlanShape } from './stream-plans.js';
import { streamPlans } from './stream-plans.js';
import type { StreamResult } from './stream-round.js';
import { runStreamRounds } from './stream-round.js';

const MENTIONS = 12;
const CONCURRENCY = 4;
const MEMBERS = 4;
const ENV = { GEMINI_CONCURRENCY: String(CONCURRENCY), GEMINI_RPM: '1000' } as const;
/** Long enough (at least 2.6 s) that every reply beyond the first wave waits past the bot's 2 s queue notice. */
const SHAPE: PlanShape = {
	chunks: [35, 60],
	chunkSize: [40, 100],
	chunkDelayMs: [70, 100],
	firstChunkDelayMs: [200, 900],
};
/** A reply whose Gemini request came this long after its mention waited for a stream slot. */
const QUEUED_AFTER_MS = 500;

/** The reply showed something (a status line) before its first answer text. */
const showedStatus = (result: StreamResult): boolean =>
	(result.timeline.firstTextAt ?? Number.NaN) < (result.timeline.firstAnswerAt ?? Number.NaN);

/** The last write before the first answer text: what it showed and how long before the answer. */
function statusBeforeAnswer(result: StreamResult): { content: string; gapMs: number } | undefined {
	const { writes, firstAnswerAt } = result.timeline;
	const index = writes.findIndex((write) => write.at === firstAnswerAt);
	const before = writes[index - 1];
	return before && { content: before.content, gapMs: (firstAnswerAt ?? Number.NaN) - before.at };
}

export const queuedScenario: Scenario = {
	name: 'queued',
	letter: 'c',
	title: `(c) ${MENTIONS} mentions, GEMINI_CONCURRENCY=${CONCURRENCY}: replies that wait in the queue`,
	onBenchBackend: true,
	async run(): Promise<ScenarioResult> {
		const failures: string[] = [];
		return withBenchBot(ENV, async (bench) => {
			const { t } = bench;
			const plans = streamPlans(MENTIONS, members(t, MEMBERS), SHAPE, { seed: 400, label: 'c' });
			const { results, loopDelay } = await runStreamRounds(bench, { rounds: 1, plansFor: () => plans }, failures);
			const queued = results.filter((result) => (result.exchange?.startedAt ?? 0) - result.askedAt > QUEUED_AFTER_MS);
			const withStatus = queued.filter(showedStatus);
			const before = withStatus.flatMap((result) => statusBeforeAnswer(result) ?? []);
			const statusLines = [...new Set(before.map((write) => write.content))];
			return {
				setup:
					`${MENTIONS} mentions at once from ${MEMBERS} members, each a new thread, GEMINI_CONCURRENCY=${CONCURRENCY}: ` +
					`${MENTIONS - CONCURRENCY} replies wait for a stream slot. Every answer ${SHAPE.chunks.join('–')} chunks of ` +
					`${SHAPE.chunkSize.join('–')} chars every ${SHAPE.chunkDelayMs.join('–')} ms, first chunk after ` +
					`${SHAPE.firstChunkDelayMs.join('–')} ms (varied per thread, fixed seed); ${UNADVERTISED_LIMITS}; ` +
					`STREAM_EDIT_INTERVAL_MS=${EDIT_INTERVAL_MS}, GEMINI_RPM=${ENV.GEMINI_RPM}, GEMINI_USER_QUEUE_MAX=3 (default). ` +
					`"Queued" = Gemini request more than ${QUEUED_AFTER_MS} ms after the mention.`,
				header: ['metric', 'value'],
				rows: [
					['replies queued / of them showing a status line first', `${queued.length} / ${withStatus.length}`],
					[
						'queued: mention → Gemini request p50 / p95 / max',
						p50p95max(queued.map((r) => (r.exchange?.startedAt ?? NaN) - r.askedAt)),
					],
					['queued: first chunk → first answer text p50 / p95 / max', p50p95max(queued.map((r) => r.firstAnswerLag))],
					[
						'queued: last status write → first answer text p50 / p95 / max',
						p50p95max(before.map((write) => write.gapMs)),
					],
					['status line(s) just before the answer', statusLines.join(' | ') || 'none'],
					...commonRows(t, results, loopDelay),
				],
				failures,
				targets: [
					medianTarget(
						'(c) queued replies (with status line): first chunk → first answer text, median ≤ 50 ms',
						withStatus.map((result) => result.firstAnswerLag),
						50,
					),
					medianTarget(
						'(c) all replies: first chunk → first answer text, median ≤ 50 ms',
						results.map((result) => result.firstAnswerLag),
						50,
					),
					no429sTarget('c', t),
				],
			};
		});
	},
};
