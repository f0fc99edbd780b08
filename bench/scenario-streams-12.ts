import { EDIT_INTERVAL_MS, members, UNADVERTISED_LIMITS } from './bench-bot.js';
import type { BenchBot } from './bench-bot.js';
import type { Scenario, ScenarioResult } from './scenario.js';
import { withBenchBot } from './scenario.js';
import { no429sTarget } from './rate-limit-report.js';
import { commonRows, medianTarget } from './stream-metrics.js';
import { REALISTIC, streamPlans } from './stream-plans.js';
import { runStreamRounds } from './stream-round.js';
import type { StreamResult } from './stream-round.js';

const STREAMS = 12;
const ROUNDS = 3;
const MEMBERS = 4;
export const STREAMS12_ENV = {
	GEMINI_CONCURRENCY: String(STREAMS),
	GEMINI_RPM: '1000',
	GEMINI_USER_QUEUE_MAX: '100',
} as const;

/** Workload (b)'s rounds and answers, for the setup line of each workload that runs it. */
export const streams12Plan = (rounds = ROUNDS): string =>
	`${rounds} rounds; each round ${STREAMS} mentions at once from ${MEMBERS} members, each a new thread; every ` +
	`answer ${REALISTIC.chunks.join('–')} chunks of ${REALISTIC.chunkSize.join('–')} chars every ` +
	`${REALISTIC.chunkDelayMs.join('–')} ms, first chunk after ${REALISTIC.firstChunkDelayMs.join('–')} ms ` +
	'(varied per thread, fixed seed)';

/**
 * Workload (b) on `bench`: the rounds one after another (the first `rounds` of them), the same answers whichever
 * fake model streams them.
 */
export function runStreams12(
	bench: BenchBot,
	failures: string[],
	rounds = ROUNDS,
): Promise<{ results: StreamResult[]; loopDelay: string }> {
	const askers = members(bench.t, MEMBERS);
	return runStreamRounds(
		bench,
		{
			rounds,
			plansFor: (round) => streamPlans(STREAMS, askers, REALISTIC, { seed: 1_200 + round, label: `b${round}` }),
		},
		failures,
	);
}

export const streams12Scenario: Scenario = {
	name: 'streams12',
	letter: 'b',
	title: `(b) ${STREAMS} concurrent streams`,
	onBenchBackend: true,
	async run(): Promise<ScenarioResult> {
		const failures: string[] = [];
		return withBenchBot(STREAMS12_ENV, async (bench) => {
			const { t } = bench;
			const { results, loopDelay } = await runStreams12(bench, failures);
			const finalLags = results.map((result) => result.finalLag);
			const firstLags = results.map((result) => result.firstAnswerLag);
			return {
				setup:
					`${streams12Plan()}; ${UNADVERTISED_LIMITS}; STREAM_EDIT_INTERVAL_MS=${EDIT_INTERVAL_MS}, ` +
					`GEMINI_CONCURRENCY=${STREAMS12_ENV.GEMINI_CONCURRENCY}, GEMINI_RPM=${STREAMS12_ENV.GEMINI_RPM}, ` +
					`GEMINI_USER_QUEUE_MAX=${STREAMS12_ENV.GEMINI_USER_QUEUE_MAX}. n = ${results.length} threads.`,
				header: ['metric', 'value'],
				rows: commonRows(t, results, loopDelay),
				failures,
				targets: [
					medianTarget('(b) last chunk → complete text, median ≤ 100 ms', finalLags, 100),
					medianTarget('(b) first chunk → first answer text, median ≤ 50 ms', firstLags, 50),
					no429sTarget('b', t),
				],
			};
		});
	},
};
