import type { FakeUser } from '../src/emulator/discord/index.js';
import { postgresProblem } from '../test/support/postgres.js';
import { redisProblem, testKeyPrefix } from '../test/support/redis.js';
import type { ShardedWorld } from '../test/support/start-sharded-world.js';
import { startShardedWorld } from '../test/support/start-sharded-world.js';
import { EDIT_INTERVAL_MS, proseChunks, UNADVERTISED_LIMITS, useUnadvertisedLimits } from './bench-bot.js';
import { startChunkTap } from './chunk-tap.js';
import type { ChunkTap } from './chunk-tap.js';
import type { Scenario, ScenarioResult } from './scenario.js';
import { check } from './scenario.js';
import { maxInWindow, ms, p50p95max, seconds } from './stats.js';
import { medianTarget } from './stream-metrics.js';
import type { Target } from './targets.js';
import { atLeast, atMost } from './targets.js';
import { threadTimeline } from './thread-writes.js';

const RPM = 30;
const ASKED_PER_MINUTE = 45;
const MINUTE_MS = 60_000;
const ASK_EVERY_MS = MINUTE_MS / ASKED_PER_MINUTE;
/** Asking goes on past the second minute after the first call, so that calls queue throughout it. */
const ASKING_MS = 125_000;
const QUESTIONS = Math.ceil(ASKING_MS / ASK_EVERY_MS);
const MEMBERS_PER_GUILD = 4;
const QUEUE_MAX = 100;
const CHUNKS = proseChunks(8, 24);
const CHUNK_DELAY_MS = 50;
const ANSWER = CHUNKS.join('');
const STEADY_SHARE = 95;
/** After asking stops: how long the calls already started get to show their complete text. */
const DRAIN_MS = 20_000;

const ENV = {
	MODEL_RPM: String(RPM),
	USER_QUEUE_MAX: String(QUEUE_MAX),
	STREAM_EDIT_INTERVAL_MS: String(EDIT_INTERVAL_MS),
} as const;

const markerOf = (question: number): string => `shared-rpm q${question}:`;

type Asked = { readonly question: number; readonly shard: number; readonly threadId: string };

/** A question admitted to the model: when the fake Gemini got it, and how late its complete text showed. */
type Admitted = { readonly question: number; readonly shard: number; readonly at: number; readonly finalLag: number };

const sleep = (delayMs: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, delayMs)));

/** Alice, Bob and the moderator of each guild, then members of that guild alone, up to MEMBERS_PER_GUILD. */
function membersOf(world: ShardedWorld): FakeUser[][] {
	return world.guilds.map((guild, index) => {
		const list = [guild.users.alice, guild.users.bob, guild.users.moderator];
		while (list.length < MEMBERS_PER_GUILD)
			list.push(guild.addUser({ username: `g${index}-member${list.length + 1}` }));
		return list;
	});
}

/** QUESTIONS mentions, one every ASK_EVERY_MS, alternating guilds (so processes) and rotating members. */
async function ask(world: ShardedWorld): Promise<{ asked: Asked[]; startedAt: number; endedAt: number }> {
	const members = membersOf(world);
	const asked: Asked[] = [];
	const startedAt = Date.now();
	for (let question = 0; question < QUESTIONS; question += 1) {
		await sleep(startedAt + question * ASK_EVERY_MS - Date.now());
		const shard = question % 2;
		const guild = world.guilds[shard];
		const member = members[shard]?.[Math.floor(question / 2) % MEMBERS_PER_GUILD];
		if (!guild || !member) throw new Error(`no guild or member for question ${question}`);
		const text = `<@${world.discord.bot.id}> ${markerOf(question)} a quick question`;
		const message = await world.discord.userSays(guild.textChannel.id, member, text);
		asked.push({ question, shard, threadId: message.id });
	}
	return { asked, startedAt, endedAt: Date.now() };
}

/** The calls the fake Gemini received for the questions, in arrival order, each with its question's number. */
function calls(world: ShardedWorld): { question: number; at: number }[] {
	return world.gemini.requests.flatMap((request) => {
		const number = /shared-rpm q(\d+):/.exec(request.contents.at(-1)?.text ?? '')?.[1];
		return number === undefined ? [] : [{ question: Number(number), at: request.receivedAt }];
	});
}

/** Last chunk at the tap → the thread's complete text at the fake Discord; NaN until it is complete. */
function finalLag(world: ShardedWorld, tap: ChunkTap, asked: Asked): number {
	const lastChunkAt = tap.find(markerOf(asked.question))?.eventTimes.at(-1);
	const completeAt = threadTimeline(world, asked.threadId, ANSWER).completeAt;
	return lastChunkAt === undefined || completeAt === undefined ? Number.NaN : completeAt - lastChunkAt;
}

type Measured = {
	readonly asked: readonly Asked[];
	readonly admitted: readonly Admitted[];
	/** Every call admitted until the processes stopped (a few may come after asking ended). */
	readonly allCalls: readonly number[];
	readonly startedAt: number;
	readonly askingEndedAt: number;
	readonly gemini429s: number;
	readonly discord429s: number;
};

async function measure(world: ShardedWorld, tap: ChunkTap): Promise<Measured> {
	useUnadvertisedLimits(world);
	world.gemini.setRequestsPerMinute(RPM);
	world.gemini.respondWith(() => ({ kind: 'reply', chunks: CHUNKS, chunkDelayMs: CHUNK_DELAY_MS }));
	const env = { ...ENV, GEMINI_BASE_URL: tap.url };
	await Promise.all([world.startProcess(0, env), world.startProcess(1, env)]);
	const { asked, startedAt, endedAt } = await ask(world);
	const byQuestion = new Map(asked.map((entry) => [entry.question, entry]));
	const started = calls(world).filter((call) => call.at <= endedAt);
	// The calls started while members asked finish their streams; later ones are not waited for.
	await world.discord
		.waitFor(
			() =>
				started.every((call) => {
					const entry = byQuestion.get(call.question);
					return entry !== undefined && Number.isFinite(finalLag(world, tap, entry));
				}),
			{ timeoutMs: DRAIN_MS, description: 'the complete text of every call started while members asked' },
		)
		.catch(() => undefined);
	const admitted = started.map((call) => {
		const entry = byQuestion.get(call.question);
		return {
			question: call.question,
			shard: entry?.shard ?? Number.NaN,
			at: call.at,
			finalLag: entry ? finalLag(world, tap, entry) : Number.NaN,
		};
	});
	return {
		asked,
		admitted,
		allCalls: calls(world).map((call) => call.at),
		startedAt,
		askingEndedAt: endedAt,
		gemini429s: world.gemini.stats.served429,
		discord429s: world.discord.stats.served429,
	};
}

const inSpan = (times: readonly number[], from: number, to: number): number =>
	times.filter((at) => at >= from && at < to).length;

const share = (value: number): string => (Number.isFinite(value) ? `${Math.round(value * 10) / 10}%` : 'n/a');

/** The three targets; NaN and no lags (a run that could not start) miss them. */
function targetsOf(maxInMinute: number, steady: number, lags: readonly number[]): Target[] {
	return [
		atMost(
			`(m) model calls in any 60 s, two processes at MODEL_RPM=${RPM}: never above ${RPM}`,
			maxInMinute,
			RPM,
			String,
		),
		atLeast(
			`(m) calls admitted in the steady-state minute ≥ ${STEADY_SHARE}% of MODEL_RPM`,
			(steady / RPM) * 100,
			STEADY_SHARE,
			(value) => `${share(value)} (${steady} calls)`,
		),
		medianTarget('(m) last chunk → complete text on two processes, median ≤ 100 ms', lags.filter(Number.isFinite), 100),
	];
}

function report(measured: Measured, failures: string[]): Omit<ScenarioResult, 'setup' | 'header' | 'failures'> {
	const { admitted, asked } = measured;
	const times = measured.allCalls;
	const first = Math.min(...times);
	const minute = (index: number): number => inSpan(times, first + index * MINUTE_MS, first + (index + 1) * MINUTE_MS);
	const steady = minute(1);
	const steadyShare = (steady / RPM) * 100;
	const maxInMinute = maxInWindow(times, MINUTE_MS);
	const sorted = [...times].sort((a, b) => a - b);
	const gaps = sorted.slice(RPM).map((at, index) => at - (sorted[index] ?? Number.NaN));
	const lags = (shard?: number): number[] =>
		admitted.filter((call) => shard === undefined || call.shard === shard).map((call) => call.finalLag);
	const steadyOf = (shard: number): number =>
		inSpan(
			admitted.filter((call) => call.shard === shard).map((call) => call.at),
			first + MINUTE_MS,
			first + 2 * MINUTE_MS,
		);
	const incomplete = admitted.filter((call) => !Number.isFinite(call.finalLag)).length;
	check(failures, measured.askingEndedAt - first >= 2 * MINUTE_MS, 'asking ended before the second minute did');
	check(failures, incomplete === 0, `${incomplete} replies started while members asked never showed complete text`);
	check(failures, measured.gemini429s === 0, `the fake Gemini served ${measured.gemini429s} 429s`);
	const lagRow = (label: string, values: readonly number[]): string[] => [
		label,
		`${p50p95max(values.filter(Number.isFinite))} (n=${values.filter(Number.isFinite).length})`,
	];
	return {
		rows: [
			[
				'questions asked (shard 0 / shard 1)',
				`${asked.length} (${asked.filter((entry) => entry.shard === 0).length} / ${asked.filter((entry) => entry.shard === 1).length}) over ${seconds(measured.askingEndedAt - measured.startedAt)}`,
			],
			['model calls admitted until the processes stopped', String(times.length)],
			[`max calls in any 60 s window (limit ${RPM})`, String(maxInMinute)],
			[`min gap call k → call k+${RPM} (≥ 60 s for a strict window)`, seconds(Math.min(...gaps))],
			['calls in minute 1 after the first call (queue fills)', String(minute(0))],
			[
				'calls in minute 2 (steady state: questions wait throughout)',
				`${steady} = ${share(steadyShare)} of ${RPM} (shard 0: ${steadyOf(0)}, shard 1: ${steadyOf(1)})`,
			],
			['first question → first call', ms(first - measured.startedAt)],
			lagRow('last chunk → complete text, shard 0 process p50 / p95 / max', lags(0)),
			lagRow('last chunk → complete text, shard 1 process p50 / p95 / max', lags(1)),
			['Gemini 429s served (target 0)', String(measured.gemini429s)],
			['Discord 429s served', String(measured.discord429s)],
		],
		targets: targetsOf(maxInMinute, steady, lags()),
	};
}

const SETUP =
	`Two bot processes (the real entry point, spawned) with SHARD_COUNT=2 and SHARD_IDS=0 / 1 on one fake Discord ` +
	`(2 shards), one guild on each shard; one PostgreSQL schema on TEST_DATABASE_URL and one Redis key prefix on ` +
	`TEST_REDIS_URL shared by both; MODEL_RPM=${RPM} on each (one limit for both, through Redis), ` +
	`USER_QUEUE_MAX=${QUEUE_MAX}, MODEL_CONCURRENCY=4 (default), STREAM_EDIT_INTERVAL_MS=${EDIT_INTERVAL_MS}. ` +
	`${QUESTIONS} mentions over ${seconds(ASKING_MS)} (${ASKED_PER_MINUTE} a minute, one every ${ms(ASK_EVERY_MS)}), ` +
	`alternating guilds, ${MEMBERS_PER_GUILD} members in each, each a new thread; each answered with ${CHUNKS.length} ` +
	`chunks of ~24 characters every ${CHUNK_DELAY_MS} ms; the fake Gemini also limits to ${RPM}/min (token bucket, ` +
	`burst ${RPM}); ${UNADVERTISED_LIMITS}. Calls = generation requests as the fake Gemini received them; minutes ` +
	`count from the first call; minute 2 is steady state (more questions waiting than the limit lets through). Final ` +
	`lag: last chunk at a tap in front of the fake Gemini → the write after which the thread shows the complete ` +
	`text, for the calls started while members asked. The processes are killed ${seconds(DRAIN_MS)} at most after ` +
	`asking ends, with questions still queued.`;

export const sharedRpmScenario: Scenario = {
	name: 'shared-rpm',
	letter: 'm',
	title: `(m) Two processes, one MODEL_RPM=${RPM}: ${ASKED_PER_MINUTE} questions a minute for ${seconds(ASKING_MS)}`,
	async run(): Promise<ScenarioResult> {
		const failures: string[] = [];
		const header = ['metric', 'value'];
		const unreachable = [
			...(postgresProblem === undefined ? [] : [`PostgreSQL unreachable: ${postgresProblem}`]),
			...(redisProblem === undefined ? [] : [`Redis unreachable: ${redisProblem}`]),
		];
		if (unreachable.length > 0) {
			return { setup: SETUP, header, rows: [], failures: unreachable, targets: targetsOf(Number.NaN, Number.NaN, []) };
		}
		const cleanups: (() => Promise<unknown>)[] = [];
		const defer = (cleanup: () => Promise<unknown>): void => {
			cleanups.push(cleanup);
		};
		let measured: Measured;
		try {
			const tap = await startChunkTap();
			defer(() => tap.close());
			const world = await startShardedWorld(defer, { keyPrefix: testKeyPrefix('bench-shared-rpm') });
			tap.setUpstream(world.gemini.url);
			measured = await measure(world, tap);
		} finally {
			for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
		}
		return { setup: SETUP, header, failures, ...report(measured, failures) };
	},
};
