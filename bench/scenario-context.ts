import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { buildContents } from '../src/chat/build-prompt.js';
import type { ModelContent } from '../src/llm/chat-model.js';
import { contentText } from '../src/llm/chat-model.js';
import type { SessionStore } from '../src/store/ports/session-store.js';
import type { BenchBackend } from './backend.js';
import { BACKENDS, backendName, onBackend, onEachBackend } from './backend.js';
import type { BenchStores } from './bench-stores.js';
import { openBenchStores } from './bench-stores.js';
import { ANSWER_CHARS, EXCHANGES, fillThread, QUESTION_CHARS, THREAD_ID } from './long-thread.js';
import type { Scenario, ScenarioResult } from './scenario.js';
import { check } from './scenario.js';
import { summarize } from './stats.js';
import type { Target } from './targets.js';
import { atMost } from './targets.js';

/** The default CONTEXT_TOKEN_BUDGET first: the targets are about it. */
const BUDGETS = [32_000, 200_000] as const;
/** Unmeasured runs, then measured ones; the way before reads all 5,001 turns (tens of ms a run), so it gets fewer. */
const RUNS = { lazy: { warmup: 20, measured: 200 }, full: { warmup: 3, measured: 30 } } as const;
/** Median (and p95 where set) at the default budget, per backend, in ms. */
const LIMITS: Record<BenchBackend, { readonly p50: number; readonly p95?: number }> = {
	sqlite: { p50: 2, p95: 2 },
	postgres: { p50: 5 },
};

type Timed = { durations: number[]; contents: ModelContent[] };

/** Durations (ms) of the measured calls after the unmeasured ones, and the last result. */
async function time(runs: { warmup: number; measured: number }, load: () => Promise<ModelContent[]>): Promise<Timed> {
	let contents: ModelContent[] = [];
	for (let run = 0; run < runs.warmup; run += 1) contents = await load();
	const durations: number[] = [];
	for (let run = 0; run < runs.measured; run += 1) {
		const startedAt = performance.now();
		contents = await load();
		durations.push(performance.now() - startedAt);
	}
	return { durations, contents };
}

const msFine = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(2)} ms` : 'n/a');
const characters = (contents: readonly ModelContent[]): number =>
	contents.reduce((sum, content) => sum + contentText(content).length, 0);

/** What a reply does to load its context, and the way before: every turn through `listTurns`, newest first. */
const ways = (store: SessionStore, questionId: number, tokenBudget: number) =>
	[
		[
			'contextNewestFirst (now)',
			RUNS.lazy,
			async () => (await buildContents(store.contextNewestFirst(THREAD_ID, questionId), { tokenBudget })).contents,
		],
		[
			'listTurns, all turns (before)',
			RUNS.full,
			async () =>
				(
					await buildContents([...(await store.listTurns(THREAD_ID, { throughTurnId: questionId }))].reverse(), {
						tokenBudget,
					})
				).contents,
		],
	] as const;

type BackendResult = {
	readonly setup: string;
	readonly rows: string[][];
	/** The contents the reply would send, per budget (to compare the backends). */
	readonly contents: ModelContent[][];
	/** Of the way the reply loads its context, at the default budget. */
	readonly p50: number;
	readonly p95: number;
};

/** Fills the thread on `bench`, then times both ways at each budget. */
async function measureOn(bench: BenchStores, failures: string[]): Promise<BackendResult> {
	const filledAt = performance.now();
	const { questionId, after } = await fillThread(bench);
	const fillMs = performance.now() - filledAt;
	const store = bench.stores.sessions;
	const stored = (await store.listTurns(THREAD_ID)).length;
	check(failures, stored === EXCHANGES * 2 + 1, `expected ${EXCHANGES * 2 + 1} turns, found ${stored}`);
	const rows: string[][] = [];
	const contents: ModelContent[][] = [];
	let [p50, p95] = [Number.NaN, Number.NaN];
	for (const budget of BUDGETS) {
		const timed: Timed[] = [];
		for (const [way, runs, load] of ways(store, questionId, budget)) {
			const result = await time(runs, load);
			const summary = summarize(result.durations);
			timed.push(result);
			rows.push([
				backendName(bench.backend),
				budget.toLocaleString('en-US'),
				way,
				msFine(summary.p50),
				msFine(summary.p95),
				msFine(summary.max),
				`${result.contents.length} / ${characters(result.contents).toLocaleString('en-US')}`,
			]);
		}
		const [lazy, full] = timed;
		check(failures, isDeepStrictEqual(lazy?.contents, full?.contents), `budget ${budget}: the ways differ`);
		contents.push(lazy?.contents ?? []);
		if (budget === BUDGETS[0]) ({ p50, p95 } = summarize(lazy?.durations ?? []));
	}
	return {
		setup:
			`${bench.description}: ${await bench.size()}, filled in ${Math.round(fillMs).toLocaleString('en-US')} ms` +
			(after === undefined ? '' : `, then ${after}`),
		rows,
		contents,
		p50,
		p95,
	};
}

/** The default budget's targets on `backend` (a median, on SQLite a p95 too); NaN (a MISS) if it did not run. */
function targetsOf(backend: BenchBackend, result: BackendResult | undefined): Target[] {
	const limits = LIMITS[backend];
	const label = (what: string, limit: number): string =>
		`(e) context load at 5,000 turns, default budget, ${what} ≤ ${limit} ms`;
	const targets = [atMost(label('median', limits.p50), result?.p50 ?? Number.NaN, limits.p50, msFine)];
	if (limits.p95 !== undefined) {
		targets.push(atMost(label('p95', limits.p95), result?.p95 ?? Number.NaN, limits.p95, msFine));
	}
	return targets.map((target) => onBackend(backend, target));
}

export const contextScenario: Scenario = {
	name: 'context',
	letter: 'e',
	title: `(e) Context load at ${(EXCHANGES * 2).toLocaleString('en-US')} stored turns, on SQLite and on PostgreSQL`,
	run: measureContextLoad,
};

async function measureContextLoad(): Promise<ScenarioResult> {
	const failures: string[] = [];
	const results = await onEachBackend(failures, async (backend, own) => {
		const bench = await openBenchStores(backend);
		try {
			return await measureOn(bench, own);
		} finally {
			await bench.close();
		}
	});
	const [sqlite, postgres] = BACKENDS.map((backend) => results.get(backend));
	if (sqlite && postgres) {
		check(failures, isDeepStrictEqual(sqlite.contents, postgres.contents), 'the backends sent different contents');
	}
	const setups = BACKENDS.flatMap((backend) => results.get(backend)?.setup ?? []);
	return {
		setup:
			`On each backend, fresh stores (openStores, real migrations) holding one thread of ` +
			`${EXCHANGES.toLocaleString('en-US')} questions (${QUESTION_CHARS.join('–')} chars, 4 members) each with its ` +
			`answer (${ANSWER_CHARS.join('–')} chars), then the new question the reply is for: the first exchange and ` +
			`the new question written through the session store, the other exchanges copies of the first one's rows ` +
			`(their own ids, texts, Discord ids and times) inserted in bulk in one transaction. ${setups.join('; ')}. Timed ` +
			`with performance.now(), in this process, through the asynchronous session store: what the reply does to ` +
			`load its context, await buildContents(store.contextNewestFirst(thread, question), { tokenBudget }), against ` +
			`the way before, await buildContents([...(await store.listTurns(thread, { throughTurnId }))].reverse(), ` +
			`{ tokenBudget }); ${RUNS.lazy.warmup} (now) or ${RUNS.full.warmup} (before) unmeasured runs, then ` +
			`${RUNS.lazy.measured} (now) or ${RUNS.full.measured} (before) measured; checked that both ways, and both ` +
			'backends, give the same contents.',
		header: ['backend', 'budget (tokens)', 'way', 'p50', 'p95', 'max', 'contents / characters sent'],
		rows: BACKENDS.flatMap((backend) => results.get(backend)?.rows ?? []),
		failures,
		targets: BACKENDS.flatMap((backend) => targetsOf(backend, results.get(backend))),
	};
}
