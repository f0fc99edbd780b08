import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeDiscord } from '../src/emulator/discord/index.js';
import type { FakeChannel, FakeDiscord, FakeUser } from '../src/emulator/discord/index.js';
import { startFakeGemini } from '../test/fakes/fake-gemini/index.js';
import { createTestSchema } from '../test/support/postgres.js';
import type { SpawnedBot } from '../test/support/spawn-bot.js';
import { spawnBot } from '../test/support/spawn-bot.js';
import { testEnvironment } from '../test/support/start-test-bot.js';
import type { BenchBackend } from './backend.js';
import { backendName, benchBackend } from './backend.js';
import type { LoopDelay } from './child-process-stats.js';
import {
	lastBusyBeforeQuiet,
	loopDelayProbeEnv,
	loopDelayText,
	mib,
	processCpuMs,
	processRssBytes,
	startLoopDelay,
	stopLoopDelay,
} from './child-process-stats.js';
import type { Scenario, ScenarioResult } from './scenario.js';
import { check } from './scenario.js';
import { ms, seconds } from './stats.js';
import { atLeast } from './targets.js';

const CHANNELS = 1_000;
const MEMBERS = 20;
const MESSAGES = 20_000;
const WARMUP = 2_000;
/** The bot counts as done when it used no CPU for this long (its idle timers cost far less than a tick a second). */
const QUIET_MS = 400;
/** The push gives the fake's event loop a turn (to write to the socket) after this many messages. */
const BATCH = 100;
const MIN_RATE = 1_000;
/** The paced runs' rate: a busy community's peak many times over, slow enough to leave the bot idle between batches. */
const PACE = 2_000;
/** The bot only reads chatter; the sentinels' threads must not wait for a model slot or a Discord bucket. */
const BOT_ENV = { MODEL_RPM: '1000', LOG_LEVEL: 'info' } as const;

type Place = 'channels' | 'threads';
/**
 * `live`: pushed as fast as the fake can while the bot runs; `paced`: PACE a second; `backlog`: pushed while the bot
 * is stopped (SIGSTOP), then drained.
 */
type Mode = 'live' | 'paced' | 'backlog';
const RUN_MODES: readonly Mode[] = ['live', 'paced', 'backlog'];
/** The short runs repeat (the machine is shared): the row shows the run of median time, and every run's rate. */
const REPEATS: Record<Mode, number> = { live: 3, paced: 1, backlog: 3 };

const PLACES: Record<Place, string> = {
	channels: `channel chatter (${CHANNELS.toLocaleString('en-US')} text channels)`,
	threads: `chatter in ${CHANNELS.toLocaleString('en-US')} members' threads (not the bot's)`,
};
const MODES: Record<Mode, string> = {
	live: 'live: pushed as fast as the fake dispatches',
	paced: `paced: ${PACE.toLocaleString('en-US')} a second (${BATCH} every ${(BATCH / PACE) * 1000} ms)`,
	backlog: 'backlog: queued while the bot is stopped, then drained',
};

type Chatter = { readonly channelId: string; readonly author: FakeUser; readonly content: string };

type IngestRun = {
	readonly place: Place;
	readonly mode: Mode;
	readonly messages: number;
	/** From the first message the fake dispatched to the last. */
	readonly dispatchMs: number;
	/** From the first dispatch (live) or the bot's resumption (backlog) to the sentinel's thread. */
	readonly consumedMs: number;
	/** From the last chatter dispatched to the sentinel's thread. */
	readonly afterLastMs: number;
	readonly cpuMs: number;
	readonly loop: LoopDelay | undefined;
	readonly rssAfter: number;
	/** Messages per second of every repetition of this kind and mode, in order. */
	readonly rates: readonly number[];
};

const WORDS = ['anyone', 'seen', 'the', 'patch', 'notes', 'lunch', 'raid', 'tonight', 'build', 'works', 'lol', 'ok'];

/** `count` chatter messages of 60–130 characters, round-robin over the places and the members. */
function chatter(count: number, places: readonly FakeChannel[], members: readonly FakeUser[], seed: string): Chatter[] {
	return Array.from({ length: count }, (_, index) => {
		let content = `${seed} ${index}:`;
		const length = 60 + ((index * 37) % 70);
		for (let word = index; content.length < length; word += 5) content += ` ${WORDS[word % WORDS.length] ?? 'x'}`;
		const channel = places[index % places.length];
		const author = members[index % members.length];
		if (!channel || !author) throw new Error('no places or members to chat in');
		return { channelId: channel.id, author, content };
	});
}

/** The state letter of process `pid` (R running, S sleeping, T stopped…). */
function processState(pid: number): string {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

async function waitUntilStopped(pid: number): Promise<void> {
	for (let attempt = 0; attempt < 200 && processState(pid) !== 'T'; attempt += 1) {
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
	if (processState(pid) !== 'T') throw new Error(`bot process ${pid} did not stop on SIGSTOP`);
}

/**
 * Stores and dispatches every message in order, letting the fake's event loop write to the socket every BATCH; with
 * `perSecond`, each batch waits for its time.
 */
async function push(
	discord: FakeDiscord,
	messages: readonly Chatter[],
	perSecond?: number,
): Promise<{ first: number; last: number }> {
	const first = Date.now();
	for (const [index, message] of messages.entries()) {
		await discord.userSays(message.channelId, message.author, message.content);
		if ((index + 1) % BATCH !== 0) continue;
		if (perSecond === undefined) await new Promise((resolve) => setImmediate(resolve));
		else await new Promise((resolve) => setTimeout(resolve, first + ((index + 1) / perSecond) * 1000 - Date.now()));
	}
	return { first, last: Date.now() };
}

type World = {
	readonly discord: FakeDiscord;
	readonly bot: SpawnedBot;
	readonly pid: number;
	readonly places: Record<Place, readonly FakeChannel[]>;
	readonly members: readonly FakeUser[];
	readonly loopFile: string;
	close(): Promise<void>;
};

/** The fakes with 1,000 channels and a members' thread in each (all in GUILD_CREATE), and the bot in a child process. */
async function startWorld(backend: BenchBackend): Promise<World> {
	const cleanups: (() => Promise<unknown>)[] = [];
	const close = async (): Promise<void> => {
		for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
	};
	try {
		const discord = await startFakeDiscord();
		const gemini = await startFakeGemini();
		cleanups.push(() => Promise.all([discord.close(), gemini.close()]));
		// The sentinels start threads in #general: no per-channel bucket may delay them.
		discord.setMessageRateLimit(undefined);
		const { alice, bob, moderator } = discord.users;
		const members = [alice, bob, moderator];
		while (members.length < MEMBERS) members.push(discord.addUser({ username: `member${members.length + 1}` }));
		const channels = Array.from({ length: CHANNELS }, (_, index) => discord.addTextChannel(`chatter-${index}`));
		const threads: FakeChannel[] = [];
		for (const [index, channel] of channels.entries()) {
			const owner = members[index % members.length] ?? alice;
			threads.push(await discord.createThread({ parentId: channel.id, name: `members' thread ${index}`, owner }));
		}
		const directory = mkdtempSync(join(tmpdir(), 'gemthread-bench-ingest-'));
		cleanups.push(() => {
			rmSync(directory, { recursive: true, force: true });
			return Promise.resolve();
		});
		const schema = backend === 'postgres' ? await createTestSchema() : undefined;
		if (schema) cleanups.push(() => schema.drop());
		const loopFile = join(directory, 'loop-delay.json');
		const env = testEnvironment({
			discord,
			gemini,
			databasePath: join(directory, 'gemthread.db'),
			databaseUrl: schema?.url,
		});
		const bot = await spawnBot({ ...env, ...BOT_ENV, ...loopDelayProbeEnv(loopFile) }, 60_000);
		cleanups.push(() => bot.kill());
		const pid = bot.child.pid;
		if (pid === undefined) throw new Error('the bot process has no pid');
		return { discord, bot, pid, places: { channels, threads }, members, loopFile, close };
	} catch (error) {
		await close();
		throw error;
	}
}

/**
 * A mention with no question in #general, after the chatter: the bot answers it at once with one short reply (no
 * database, no model). It reads a gateway connection's messages in order, so its answer means that every earlier
 * message reached its handler; resolves with when the fake stored that answer.
 */
async function sentinel(world: World): Promise<number> {
	const { discord } = world;
	const general = discord.textChannel.id;
	const message = await discord.userSays(general, discord.users.alice, `<@${discord.bot.id}>`);
	const answer = await discord.waitFor(
		() => discord.messagesIn(general).find((reply) => reply.messageReference?.messageId === message.id),
		{ timeoutMs: 120_000, description: 'the answer to the sentinel' },
	);
	return answer.createdAt;
}

/**
 * When the bot is done with everything the chatter set going: its sentinel's answer, or the end of its main thread's
 * last busy moment (a handler may still wait for the database: a members' thread's lookups run one at a time per
 * thread), whichever is later. Watching starts at `from`.
 */
async function doneAt(world: World, sentinelAt: Promise<number>): Promise<number> {
	const [answered, busy] = await Promise.all([sentinelAt, lastBusyBeforeQuiet(world.pid, QUIET_MS)]);
	return Math.max(answered, busy);
}

async function measure(world: World, place: Place, mode: Mode, label: string): Promise<Omit<IngestRun, 'rates'>> {
	const { discord, pid, loopFile } = world;
	const messages = chatter(MESSAGES, world.places[place], world.members, label);
	let pushed: { first: number; last: number };
	let startedAt: number;
	let cpuBefore: number;
	let done: Promise<number>;
	if (mode === 'backlog') {
		process.kill(pid, 'SIGSTOP');
		let answered: Promise<number>;
		try {
			await waitUntilStopped(pid);
			pushed = await push(discord, messages);
			answered = sentinel(world);
		} finally {
			cpuBefore = processCpuMs(pid);
			startedAt = Date.now();
			process.kill(pid, 'SIGCONT');
		}
		startLoopDelay(pid, loopFile);
		done = doneAt(world, answered);
	} else {
		cpuBefore = processCpuMs(pid);
		startLoopDelay(pid, loopFile);
		startedAt = Date.now();
		pushed = await push(discord, messages, mode === 'paced' ? PACE : undefined);
		done = doneAt(world, sentinel(world));
	}
	const finishedAt = await done;
	const cpuMs = processCpuMs(pid) - cpuBefore;
	const loop = await stopLoopDelay(pid, loopFile);
	const rssAfter = processRssBytes(pid);
	await new Promise((resolve) => setTimeout(resolve, 200));
	return {
		place,
		mode,
		messages: messages.length,
		dispatchMs: pushed.last - pushed.first,
		consumedMs: finishedAt - startedAt,
		afterLastMs: finishedAt - pushed.last,
		cpuMs,
		loop,
		rssAfter,
	};
}

/** REPEATS[mode] runs; the one of median time, with the rates of all. */
async function measureRepeated(world: World, place: Place, mode: Mode): Promise<IngestRun> {
	const runs: Omit<IngestRun, 'rates'>[] = [];
	for (let index = 1; index <= REPEATS[mode]; index += 1) {
		runs.push(await measure(world, place, mode, `${place} ${mode} ${index}`));
	}
	const median = [...runs].sort((a, b) => a.consumedMs - b.consumedMs)[Math.floor(runs.length / 2)];
	if (!median) throw new Error('no run');
	return { ...median, rates: runs.map(rate) };
}

/** The sentinel alone on an idle bot, from post to answer: the part of each run's time that is not chatter. */
async function idleSentinel(world: World): Promise<number> {
	const sentAt = Date.now();
	const answeredAt = await sentinel(world);
	await new Promise((resolve) => setTimeout(resolve, 200));
	return answeredAt - sentAt;
}

const count = (value: number): string => Math.round(value).toLocaleString('en-US');
const rate = (run: Pick<IngestRun, 'messages' | 'consumedMs'>): number => run.messages / (run.consumedMs / 1000);

function rowOf(run: IngestRun): string[] {
	return [
		PLACES[run.place],
		MODES[run.mode],
		count(run.messages),
		seconds(run.dispatchMs),
		seconds(run.consumedMs),
		ms(run.afterLastMs),
		run.rates.length > 1 ? `${count(rate(run))} (${run.rates.map(count).join(', ')})` : count(rate(run)),
		`${Math.round((run.cpuMs / run.messages) * 1000)} ms`,
		`${Math.round((run.cpuMs / run.consumedMs) * 100)}%`,
		loopDelayText(run.loop),
		mib(run.rssAfter),
	];
}

/** Lines the bot logged at warn or above (pino levels 40+) after `from` characters of its output. */
function warnings(bot: SpawnedBot, from: number): number {
	return bot
		.output()
		.slice(from)
		.split('\n')
		.filter((line) => /"level":(4|5|6)\d/.test(line)).length;
}

type Measured = {
	readonly runs: readonly IngestRun[];
	/** The sentinel alone, from post to thread. */
	readonly idleMs: number;
	/** The bot's RSS when it was ready. */
	readonly rssReady: number;
	/** Lines it logged at warn or above during the runs. */
	readonly warned: number;
	readonly exited: boolean;
};

/** Per kind of place: warm-up, then each mode; the idle sentinel once, after the first warm-up. */
async function measureAll(world: World): Promise<Measured> {
	const rssReady = processRssBytes(world.pid);
	const logFrom = world.bot.output().length;
	const runs: IngestRun[] = [];
	let idleMs = Number.NaN;
	for (const place of ['channels', 'threads'] as const) {
		// Warms the bot's code for this kind of message up; not measured.
		await push(world.discord, chatter(WARMUP, world.places[place], world.members, `warm-up ${place}`));
		await doneAt(world, sentinel(world));
		if (place === 'channels') idleMs = await idleSentinel(world);
		for (const mode of RUN_MODES) runs.push(await measureRepeated(world, place, mode));
	}
	return {
		runs,
		idleMs,
		rssReady,
		warned: warnings(world.bot, logFrom),
		exited: world.bot.child.exitCode !== null,
	};
}

export const ingestScenario: Scenario = {
	name: 'ingest',
	letter: 'l',
	title: `(l) Gateway ingest of one process: ${MESSAGES.toLocaleString('en-US')} member messages the bot reads and ignores`,
	onBenchBackend: true,
	async run(): Promise<ScenarioResult> {
		const failures: string[] = [];
		const backend = benchBackend();
		const world = await startWorld(backend);
		let measured: Measured;
		try {
			measured = await measureAll(world);
		} finally {
			await world.close();
		}
		const { runs, idleMs, rssReady, warned, exited } = measured;
		check(failures, !exited, 'the bot process exited during the run');
		check(failures, warned === 0, `the bot logged ${warned} lines at warn or above during the runs`);
		const backlogRate = (place: Place): number =>
			rate(
				runs.find((run) => run.place === place && run.mode === 'backlog') ?? { messages: 0, consumedMs: Number.NaN },
			);
		const perSecond = (value: number): string => `${count(value)} messages/s`;
		return {
			setup:
				`One bot process (the real entry point, spawned as a child; ${backendName(backend)}), one fake Discord guild ` +
				`with ${CHANNELS.toLocaleString('en-US')} text channels and one members' thread in each (all in ` +
				`GUILD_CREATE), ${MEMBERS} members; Message Content intent on, so every message reaches the bot, which reads ` +
				`and ignores them: no mention in text channels; in members' threads it looks up whether the thread is one ` +
				`of its own (a database query per message). Per kind: ${WARMUP.toLocaleString('en-US')} warm-up messages, ` +
				`then ${MESSAGES.toLocaleString('en-US')} messages of 60–130 characters round-robin over the channels (or ` +
				`threads) and members, pushed by the fake in the bench process (a socket write turn every ${BATCH}) three ` +
				`ways: live as fast as the fake dispatches (the fake is then the bottleneck), paced at ` +
				`${PACE.toLocaleString('en-US')} a second (the bot's cost at a steady load), and as a backlog queued while ` +
				`the bot process is stopped (SIGSTOP) and drained after SIGCONT (the bot's own ceiling); live and backlog ` +
				`${REPEATS.live} times each (the machine is shared), each row showing its run of median time and, in ` +
				`brackets, the rate of every run. The ` +
				`end of a run is the later of a sentinel's answer (an empty mention in #general posted after the chatter, ` +
				`answered at once with a short reply: same gateway connection, read in order; alone on the idle bot it ` +
				`takes ${ms(idleMs)} from post to answer) and the bot's last CPU tick before ${QUIET_MS} ms of no CPU ` +
				`(handlers still waiting on the database). Bot CPU (user + system, all threads) from /proc/<pid>/stat before and after; CPU busy = ` +
				`CPU time / run time (100% = one core); event-loop delay from a monitorEventLoopDelay probe (10 ms timer: ` +
				`10 ms = no delay) loaded into the bot with NODE_OPTIONS=--import; RSS after each run (bot at ready: ` +
				`${mib(rssReady)}; discord.js caches up to 200 messages per channel). MODEL_RPM=${BOT_ENV.MODEL_RPM}, ` +
				`Discord's per-channel limits off (the sentinels' threads must not wait).`,
			header: [
				'messages in',
				'mode',
				'messages',
				'fake dispatch',
				'bot done in',
				'done after last dispatch',
				'messages/s',
				'bot CPU per 1,000 msgs',
				'bot CPU busy',
				'event-loop delay p50 / p99 / max',
				'bot RSS after',
			],
			rows: runs.map(rowOf),
			failures,
			targets: [
				atLeast(
					`(l) one process drains a backlog of channel chatter at ≥ ${perSecond(MIN_RATE)}`,
					backlogRate('channels'),
					MIN_RATE,
					perSecond,
				),
				atLeast(
					`(l) one process drains a backlog of members'-thread chatter at ≥ ${perSecond(MIN_RATE)}`,
					backlogRate('threads'),
					MIN_RATE,
					perSecond,
				),
			],
		};
	},
};
