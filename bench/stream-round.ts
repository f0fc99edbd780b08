import type { StoredTurn } from '../src/store/session-store.js';
import { askAs, useUnadvertisedLimits, waitForModelTurn } from './bench-bot.js';
import type { BenchBot } from './bench-bot.js';
import type { TappedExchange } from './chunk-tap.js';
import { check } from './scenario.js';
import { watchEventLoop } from './stream-metrics.js';
import type { StreamPlan } from './stream-plans.js';
import { answerFor } from './stream-plans.js';
import type { ThreadTimeline } from './thread-writes.js';
import { threadCreatedAt, threadTimeline, typingTimes } from './thread-writes.js';

/** One thread of a round: what was asked and streamed, and what the fake Discord showed when. */
export type StreamResult = {
	readonly plan: StreamPlan;
	readonly threadId: string;
	readonly askedAt: number;
	readonly threadCreatedAt: number;
	readonly turn: StoredTurn;
	readonly timeline: ThreadTimeline;
	readonly exchange: TappedExchange | undefined;
	/** When the first and last chunk left the fake Gemini (NaN without a stream). */
	readonly firstChunkAt: number;
	readonly lastChunkAt: number;
	/** First chunk → first write showing answer text (a status line does not count). */
	readonly firstAnswerLag: number;
	/** Last chunk → the write after which the thread shows the complete text. */
	readonly finalLag: number;
	readonly typing: readonly number[];
};

/**
 * Mentions the bot once per plan, all at once (each in a new thread, by the plan's member), has the fake Gemini
 * answer each with its plan, waits until every reply is stored, and checks each thread's final text and status.
 */
export async function runStreamRound(
	bench: BenchBot,
	plans: readonly StreamPlan[],
	failures: string[],
	timeoutMs = 60_000,
): Promise<StreamResult[]> {
	const { t, tap } = bench;
	t.gemini.respondWith((request) => answerFor(plans, request.contents.at(-1)?.text ?? ''));
	const asked = await Promise.all(plans.map((plan) => askAs(t, plan.member, `${plan.marker} tell me about streams`)));
	const turns = await Promise.all(asked.map(({ threadId }) => waitForModelTurn(t, threadId, timeoutMs)));
	return plans.map((plan, index) => {
		const { threadId, askedAt } = asked[index] ?? { threadId: '', askedAt: Number.NaN };
		const turn = turns[index];
		if (!turn) throw new Error(`no model turn for ${plan.marker}`);
		const timeline = threadTimeline(t, threadId, plan.text);
		const exchanges = tap.exchanges.filter((exchange) => exchange.requestBody.includes(plan.marker));
		const exchange = exchanges[0];
		const firstChunkAt = exchange?.eventTimes[0] ?? Number.NaN;
		const lastChunkAt = exchange?.eventTimes.at(-1) ?? Number.NaN;
		check(failures, turn.status === 'complete', `${plan.marker} reply status ${turn.status ?? 'none'}`);
		check(failures, timeline.finalText === plan.text, `${plan.marker} final text differs from the model text`);
		check(failures, exchanges.length === 1, `${plan.marker} ${exchanges.length} Gemini calls (expected 1)`);
		check(
			failures,
			exchange?.eventTimes.length === plan.chunks.length,
			`${plan.marker} ${exchange?.eventTimes.length ?? 0} SSE events (expected ${plan.chunks.length})`,
		);
		return {
			plan,
			threadId,
			askedAt,
			threadCreatedAt: threadCreatedAt(t, t.discord.textChannel.id, threadId) ?? Number.NaN,
			turn,
			timeline,
			exchange,
			firstChunkAt,
			lastChunkAt,
			firstAnswerLag: (timeline.firstAnswerAt ?? Number.NaN) - firstChunkAt,
			finalLag: (timeline.completeAt ?? Number.NaN) - lastChunkAt,
			typing: typingTimes(t, threadId),
		};
	});
}

/**
 * Workloads (b)–(d): Discord's limits enforced but not announced, `rounds` rounds one after another (the plans of each
 * from `plansFor`), the bench's event loop watched throughout.
 */
export async function runStreamRounds(
	bench: BenchBot,
	options: {
		readonly rounds: number;
		readonly plansFor: (round: number) => readonly StreamPlan[];
		readonly timeoutMs?: number;
	},
	failures: string[],
): Promise<{ results: StreamResult[]; loopDelay: string }> {
	useUnadvertisedLimits(bench.t);
	const eventLoop = watchEventLoop();
	const results: StreamResult[] = [];
	for (let round = 0; round < options.rounds; round += 1) {
		results.push(...(await runStreamRound(bench, options.plansFor(round), failures, options.timeoutMs)));
	}
	return { results, loopDelay: eventLoop.stop() };
}
