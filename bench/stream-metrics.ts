import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { TestBot } from '../test/support/start-test-bot.js';
import { rateLimitWaits } from './bench-bot.js';
import { discord429s, first429, maxRequestsInWindow, routesOf429s } from './rate-limit-report.js';
import { ms, p50p95max, percentile, range } from './stats.js';
import type { StreamResult } from './stream-round.js';
import type { Target } from './targets.js';
import { atMost } from './targets.js';
import { maxBucketWrites, unchangedEdits } from './thread-writes.js';

/** Messages need to stream this long for an edit rate to mean something. */
const MIN_LIVE_MS = 2_000;

/**
 * Edits per second of each message while it was the one being written: from its create until the next part's
 * create or the stream's last chunk, whichever came first. Only messages live for at least 2 s.
 */
export function liveEditRates(results: readonly StreamResult[]): number[] {
	return results.flatMap(({ timeline, lastChunkAt }) => {
		const creates = timeline.writes.filter((write) => write.kind === 'create');
		return creates.flatMap((create, index) => {
			const end = Math.min(creates[index + 1]?.at ?? Number.POSITIVE_INFINITY, lastChunkAt);
			if (end - create.at < MIN_LIVE_MS) return [];
			const edits = timeline.writes.filter(
				(write) =>
					write.kind === 'edit' && write.messageId === create.messageId && write.at > create.at && write.at <= end,
			);
			return [edits.length / ((end - create.at) / 1000)];
		});
	});
}

/** How many of the values fall in each bucket: "≤ 100 ms: 40, ≤ 500 ms: 8, …". */
export function buckets(values: readonly number[], bounds: readonly number[]): string {
	const counts = bounds.map((bound, index) => {
		const lower = bounds[index - 1] ?? Number.NEGATIVE_INFINITY;
		return `≤ ${bound} ms: ${values.filter((value) => value > lower && value <= bound).length}`;
	});
	const last = bounds.at(-1) ?? Number.POSITIVE_INFINITY;
	return [...counts, `> ${last} ms: ${values.filter((value) => !(value <= last)).length}`].join(', ');
}

/**
 * Threads whose complete text came more than 500 ms after the last chunk, and how many of them needed more than
 * one write after the last chunk to show it (such as a create for a new part plus an edit).
 */
export function slowFinals(results: readonly StreamResult[]): string {
	const slow = results.filter((result) => result.finalLag > 500);
	if (slow.length === 0) return '0';
	const writesAfter = slow.map(({ timeline, lastChunkAt }) =>
		timeline.writes.filter((write) => write.at >= lastChunkAt && write.at <= (timeline.completeAt ?? 0)),
	);
	const several = writesAfter.filter((writes) => writes.length > 1);
	const withCreate = several.filter((writes) => writes.some((write) => write.kind === 'create'));
	return `${slow.length}; ${several.length} of them needed 2+ writes after the last chunk (${withCreate.length} with a new message)`;
}

/** Nearest-rank median of `values` at most `limit` ms. */
export function medianTarget(label: string, values: readonly number[], limit: number): Target {
	return atMost(label, percentile(values, 50), limit, (value) => `${ms(value)} (n=${values.length})`);
}

/**
 * Event-loop delay of this process, which runs the bot, both fakes and the tap: when it is high, every latency
 * above includes time the bot could not run at all (2 cores shared by everything).
 */
export function watchEventLoop(): { stop(): string } {
	const histogram = monitorEventLoopDelay({ resolution: 10 });
	histogram.enable();
	return {
		stop() {
			histogram.disable();
			const at = (value: number): string => ms(value / 1e6);
			return `${at(histogram.percentile(50))} / ${at(histogram.percentile(99))} / ${at(histogram.max)}`;
		},
	};
}

/** Rows most concurrent-stream workloads report; `eventLoop` from `watchEventLoop().stop()`. */
export function commonRows(t: TestBot, results: readonly StreamResult[], eventLoop: string): string[][] {
	const waits = rateLimitWaits(t);
	const timelines = results.map((result) => result.timeline);
	return [
		['answer length (characters)', range(results.map((result) => result.plan.text.length))],
		['messages per thread', range(timelines.map((timeline) => timeline.messageCount))],
		['Gemini streams open at once (max)', String(t.gemini.stats.maxConcurrentStreams)],
		[
			'mention → first visible text p50 / p95 / max',
			p50p95max(results.map((r) => (r.timeline.firstTextAt ?? NaN) - r.askedAt)),
		],
		['first chunk → first answer text p50 / p95 / max', p50p95max(results.map((result) => result.firstAnswerLag))],
		['last chunk → complete text p50 / p95 / max', p50p95max(results.map((result) => result.finalLag))],
		['threads with last chunk → complete text > 500 ms', slowFinals(results)],
		['Discord 429s served (global)', discord429s(t)],
		['routes that got 429s', routesOf429s(t)],
		['first 429', first429(t)],
		['discord.js rate-limit waits: per-route / global', `${waits.route} / ${waits.global}`],
		[
			'max creates / edits per thread in any 5 s (max over threads; limit 5 each)',
			(() => {
				const most = results.map((r) => maxBucketWrites(t, r.threadId, 5_000));
				return `${Math.max(...most.map((m) => m.creates))} / ${Math.max(...most.map((m) => m.edits))}`;
			})(),
		],
		['bot REST requests in any 1 s (max)', String(maxRequestsInWindow(t, 1_000))],
		[
			'typing requests (threads with one)',
			`${results.reduce((sum, r) => sum + r.typing.length, 0)} (${results.filter((r) => r.typing.length > 0).length})`,
		],
		['writes per thread (creates + edits)', range(timelines.map((timeline) => timeline.writes.length))],
		['content-unchanged / identical edits (all threads)', unchangedEdits(timelines)],
		['event-loop delay, bench process (bot + fakes) p50 / p99 / max', eventLoop],
	];
}
