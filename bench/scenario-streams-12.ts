import { EDIT_INTERVAL_MS, members, UNADVERTISED_LIMITS } from './bench-bot.js';
import type { Scenario, ScenarioResult } from './scenario.js';
import { withBenchBot } from './scenario.js';
import { no429sTarget } from './rate-limit-report.js';
import { commonRows, medianTarget } from './stream-metrics.js';
import { REALISTIC, streamPlans } from './stream-plans.js';
import { runStreamRounds } from './stream-round.js';

const STREAMS = 12;
const ROUNDS = 3;
const MEMBERS = 4;
const ENV = { GEMINI_CONCURRENCY: String(STREAMS), GEMINI_RPM: '1000', GEMINI_USER_QUEUE_MAX: '100' } as const;

export const streams12Scenario: Scenario = {
	name: 'streams12',
	letter: 'b',
	title: `(b) ${STREAMS} concurrent streams`,
	async run(): Promise<ScenarioResult> {
		const failures: string[] = [];
		return withBenchBot(ENV, async (bench) => {
			const { t } = bench;
			const askers = members(t, MEMBERS);
			const { results, loopDelay } = await runStreamRounds(
				bench,
				{
					rounds: ROUNDS,
					plansFor: (round) => streamPlans(STREAMS, askers, REALISTIC, { seed: 1_200 + round, label: `b${round}` }),
				},
				failures,
			);
			const finalLags = results.map((result) => result.finalLag);
			const firstLags = results.map((result) => result.firstAnswerLag);
			return {
				setup:
					`${ROUNDS} rounds; each round ${STREAMS} mentions at once from ${MEMBERS} members, each a new thread; every ` +
					`answer ${REALISTIC.chunks.join('–')} chunks of ${REALISTIC.chunkSize.join('–')} chars every ` +
					`${REALISTIC.chunkDelayMs.join('–')} ms, first chunk after ${REALISTIC.firstChunkDelayMs.join('–')} ms ` +
					`(varied per thread, fixed seed); ${UNADVERTISED_LIMITS}; STREAM_EDIT_INTERVAL_MS=${EDIT_INTERVAL_MS}, ` +
					`GEMINI_CONCURRENCY=${ENV.GEMINI_CONCURRENCY}, GEMINI_RPM=${ENV.GEMINI_RPM}, ` +
					`GEMINI_USER_QUEUE_MAX=${ENV.GEMINI_USER_QUEUE_MAX}. n = ${results.length} threads.`,
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
