import { ask, EDIT_INTERVAL_MS, rateLimitWaits, waitForModelTurn } from './bench-bot.js';
import type { Scenario, ScenarioResult } from './scenario.js';
import { check, withBenchBot } from './scenario.js';
import { maxInWindow, ms, seconds, summarize } from './stats.js';
import { threadTimeline, unchangedEdits } from './thread-writes.js';

const RPM = 30;
const MESSAGES = 40;
const MINUTE_MS = 60_000;
/** All 40 come from one member: her queue cap (default 3 waiting) must not turn any away. */
const ENV = { GEMINI_RPM: String(RPM), GEMINI_USER_QUEUE_MAX: String(MESSAGES) } as const;

const answerOf = (index: number): string => `Short answer number ${index}.`;

export const queueScenario: Scenario = {
	name: 'queue',
	letter: 'h',
	title: `(h) Queue under a rate limit: ${MESSAGES} messages at GEMINI_RPM=${RPM}`,
	onBenchBackend: true,
	async run(): Promise<ScenarioResult> {
		const failures: string[] = [];
		const rows = await withBenchBot(ENV, async ({ t }) => {
			t.gemini.setRequestsPerMinute(RPM);
			// One single-chunk answer per thread, whatever order the calls arrive in.
			t.gemini.respondWith((request) => {
				const index = /queue message (\d+):/.exec(request.contents.at(-1)?.text ?? '')?.[1];
				return { kind: 'reply', chunks: [answerOf(Number(index))] };
			});
			const startedAt = Date.now();
			const asked = await Promise.all(
				Array.from({ length: MESSAGES }, (_, index) => ask(t, `queue message ${index}: a quick question`)),
			);
			const turns = await Promise.all(asked.map(({ threadId }) => waitForModelTurn(t, threadId, 150_000)));
			const finishedAt = Date.now();
			const timelines = asked.map(({ threadId }, index) => threadTimeline(t, threadId, answerOf(index)));
			const starts = t.gemini.requests.map((request) => request.receivedAt).sort((a, b) => a - b);
			const first = starts[0] ?? Number.NaN;
			const afterLimit = starts[RPM];
			// A strict per-minute limit at the server needs start k + RPM to arrive at least 60 s after start k.
			const windowGaps = starts.slice(RPM).map((at, index) => at - (starts[index] ?? Number.NaN));
			const firstTextWaits = asked.map(({ askedAt }, index) => (timelines[index]?.firstTextAt ?? Number.NaN) - askedAt);
			const waitSummary = summarize(firstTextWaits);
			const waits = rateLimitWaits(t);
			for (const [index, timeline] of timelines.entries()) {
				check(failures, timeline.finalText === answerOf(index), `message ${index}: final text differs`);
				check(failures, turns[index]?.status === 'complete', `message ${index}: reply not complete`);
			}
			check(failures, t.gemini.stats.served429 === 0, `fake Gemini served ${t.gemini.stats.served429} 429s`);
			return [
				['Gemini 429s served (target 0)', String(t.gemini.stats.served429)],
				['Gemini calls (40 = no retries)', String(starts.length)],
				['max starts in any 60 s window', String(maxInWindow(starts, MINUTE_MS))],
				['starts in the first 60 s', String(starts.filter((at) => at - first < MINUTE_MS).length)],
				[`start ${RPM + 1} after start 1`, afterLimit === undefined ? 'n/a' : seconds(afterLimit - first)],
				[`min gap start k → start k+${RPM} (≥ 60 s for a strict window)`, seconds(Math.min(...windowGaps))],
				['first → last start', seconds((starts.at(-1) ?? Number.NaN) - first)],
				['total time (first mention → last reply stored)', seconds(finishedAt - startedAt)],
				[
					'mention → first visible text p50 / p95 / max',
					`${ms(waitSummary.p50)} / ${ms(waitSummary.p95)} / ${ms(waitSummary.max)}`,
				],
				[
					'threads whose first write was not the answer (e.g. a "waiting" status)',
					String(timelines.filter((timeline, index) => timeline.writes[0]?.content !== answerOf(index)).length),
				],
				['content-unchanged / identical edits (all threads)', unchangedEdits(timelines)],
				['discord.js rate-limit waits: per-route / global', `${waits.route} / ${waits.global}`],
				['Discord 429s served', String(t.discord.stats.served429)],
			];
		});
		return {
			setup:
				`${MESSAGES} mentions at once, each a new thread, each answered with one chunk; the bot's GEMINI_RPM=${RPM} ` +
				`and the fake Gemini's per-model token bucket set to ${RPM}/min (burst ${RPM}); GEMINI_CONCURRENCY=4 (default), ` +
				`GEMINI_USER_QUEUE_MAX=${ENV.GEMINI_USER_QUEUE_MAX} (all from one member), ` +
				`STREAM_EDIT_INTERVAL_MS=${EDIT_INTERVAL_MS}. Starts = request arrival times at the fake Gemini.`,
			header: ['metric', 'value'],
			rows,
			failures,
		};
	},
};
