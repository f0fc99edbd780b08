import type { StoredTurn } from '../src/domain/turn.js';
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
	/** The call that answered (status 200). */
	readonly exchange: TappedExchange | undefined;
	/** Every model call made for this thread, in order: more than one when a call failed over. */
	readonly calls: readonly TappedExchange[];
	/** When the first and last chunk with answer text left the fake model (NaN without a stream). */
	readonly firstChunkAt: number;
	readonly lastChunkAt: number;
	/** When the stream's last event left the fake: the last chunk for Gemini, `[DONE]` for OpenAI. */
	readonly streamEndAt: number;
	/** First chunk → first write showing answer text (a status line does not count). */
	readonly firstAnswerLag: number;
	/** Last chunk → the write after which the thread shows the complete text. */
	readonly finalLag: number;
	/** Stream end → the write after which the thread shows the complete text. */
	readonly endLag: number;
	readonly typing: readonly number[];
};

export type RoundOptions = {
	/** @default 60_000 */
	readonly timeoutMs?: number;
	/** Model calls a thread may take (a call moved to another Vertex location after a 429 is a second). @default 1 */
	readonly maxCalls?: number;
};

/**
 * Mentions the bot once per plan, all at once (each in a new thread, by the plan's member), has the fake model
 * answer each with its plan, waits until every reply is stored, and checks each thread's final text and status.
 */
export async function runStreamRound(
	bench: BenchBot,
	plans: readonly StreamPlan[],
	failures: string[],
	options: RoundOptions = {},
): Promise<StreamResult[]> {
	const { t, tap, model } = bench;
	const { timeoutMs = 60_000, maxCalls = 1 } = options;
	model.answerBy((lastMessage) => answerFor(plans, lastMessage));
	const asked = await Promise.all(plans.map((plan) => askAs(t, plan.member, `${plan.marker} tell me about streams`)));
	const turns = await Promise.all(asked.map(({ threadId }) => waitForModelTurn(t, threadId, timeoutMs)));
	return plans.map((plan, index) => {
		const { threadId, askedAt } = asked[index] ?? { threadId: '', askedAt: Number.NaN };
		const turn = turns[index];
		if (!turn) throw new Error(`no model turn for ${plan.marker}`);
		const timeline = threadTimeline(t, threadId, plan.text);
		const calls = tap.exchanges.filter((exchange) => exchange.requestBody.includes(plan.marker));
		const exchange = calls.find((call) => call.status === 200) ?? calls[0];
		const texts = exchange ? model.textTimes(exchange) : [];
		const firstChunkAt = texts[0] ?? Number.NaN;
		const lastChunkAt = texts.at(-1) ?? Number.NaN;
		const streamEndAt = exchange?.eventTimes.at(-1) ?? Number.NaN;
		const expected = maxCalls === 1 ? '1' : `at most ${maxCalls}`;
		check(failures, turn.status === 'complete', `${plan.marker} reply status ${turn.status ?? 'none'}`);
		check(failures, timeline.finalText === plan.text, `${plan.marker} final text differs from the model text`);
		check(
			failures,
			calls.length <= maxCalls,
			`${plan.marker} ${calls.length} ${model.name} calls (expected ${expected})`,
		);
		check(
			failures,
			texts.length === plan.chunks.length,
			`${plan.marker} ${texts.length} SSE events with text (expected ${plan.chunks.length})`,
		);
		return {
			plan,
			threadId,
			askedAt,
			threadCreatedAt: threadCreatedAt(t, t.discord.textChannel.id, threadId) ?? Number.NaN,
			turn,
			timeline,
			exchange,
			calls,
			firstChunkAt,
			lastChunkAt,
			streamEndAt,
			firstAnswerLag: (timeline.firstAnswerAt ?? Number.NaN) - firstChunkAt,
			finalLag: (timeline.completeAt ?? Number.NaN) - lastChunkAt,
			endLag: (timeline.completeAt ?? Number.NaN) - streamEndAt,
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
	options: RoundOptions & {
		readonly rounds: number;
		readonly plansFor: (round: number) => readonly StreamPlan[];
	},
	failures: string[],
): Promise<{ results: StreamResult[]; loopDelay: string }> {
	useUnadvertisedLimits(bench.t);
	const eventLoop = watchEventLoop();
	const results: StreamResult[] = [];
	for (let round = 0; round < options.rounds; round += 1) {
		results.push(...(await runStreamRound(bench, options.plansFor(round), failures, options)));
	}
	return { results, loopDelay: eventLoop.stop() };
}
