import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { buildContents } from '../src/chat/build-prompt.js';
import type { ModelContent } from '../src/llm/chat-model.js';
import { contentText } from '../src/llm/chat-model.js';
import { MIGRATIONS_DIRECTORY, migrate } from '../src/store/migrate.js';
import { openDatabase } from '../src/store/open-database.js';
import { createSessionStore } from '../src/store/session-store.js';
import { ANSWER_CHARS, EXCHANGES, fillThread, QUESTION_CHARS, THREAD_ID } from './long-thread.js';
import type { Scenario, ScenarioResult } from './scenario.js';
import { check } from './scenario.js';
import { summarize } from './stats.js';
import { atMost } from './targets.js';

const BUDGETS = [32_000, 200_000] as const;
/** Unmeasured runs first (the way before takes ~85 ms a run, so it gets fewer), then `RUNS` measured. */
const WARMUP = { lazy: 20, full: 5 } as const;
const RUNS = 200;

/** Durations (ms) of `RUNS` calls after `warmup` unmeasured ones, and the last result. */
function time(warmup: number, load: () => ModelContent[]): { durations: number[]; contents: ModelContent[] } {
	let contents: ModelContent[] = [];
	for (let run = 0; run < warmup; run += 1) contents = load();
	const durations: number[] = [];
	for (let run = 0; run < RUNS; run += 1) {
		const startedAt = performance.now();
		contents = load();
		durations.push(performance.now() - startedAt);
	}
	return { durations, contents };
}

const msFine = (value: number): string => `${value.toFixed(2)} ms`;
const characters = (contents: readonly ModelContent[]): number =>
	contents.reduce((sum, content) => sum + contentText(content).length, 0);

export const contextScenario: Scenario = {
	name: 'context',
	letter: 'e',
	title: `(e) Context load at ${(EXCHANGES * 2).toLocaleString('en-US')} stored turns`,
	run(): Promise<ScenarioResult> {
		return Promise.resolve(measureContextLoad());
	},
};

function measureContextLoad(): ScenarioResult {
	const failures: string[] = [];
	const directory = mkdtempSync(join(tmpdir(), 'gemthread-bench-context-'));
	const path = join(directory, 'context.db');
	const db = openDatabase(path);
	try {
		migrate(db, MIGRATIONS_DIRECTORY);
		const store = createSessionStore(db);
		const builtAt = performance.now();
		const questionId = fillThread(db, store);
		const fillMs = performance.now() - builtAt;
		const stored = store.listTurns(THREAD_ID).length;
		check(failures, stored === EXCHANGES * 2 + 1, `expected ${EXCHANGES * 2 + 1} turns, found ${stored}`);
		const rows: string[][] = [];
		let defaultMedian = Number.NaN;
		let defaultP95 = Number.NaN;
		for (const budget of BUDGETS) {
			const lazy = time(
				WARMUP.lazy,
				() => buildContents(store.contextNewestFirst(THREAD_ID, questionId), { tokenBudget: budget }).contents,
			);
			const full = time(
				WARMUP.full,
				() =>
					buildContents([...store.listTurns(THREAD_ID, { throughTurnId: questionId }).reverse()], {
						tokenBudget: budget,
					}).contents,
			);
			check(failures, isDeepStrictEqual(lazy.contents, full.contents), `budget ${budget}: the two ways differ`);
			for (const [way, result] of [
				['contextNewestFirst (now)', lazy],
				['listTurns, all turns (before)', full],
			] as const) {
				const summary = summarize(result.durations);
				rows.push([
					budget.toLocaleString('en-US'),
					way,
					msFine(summary.p50),
					msFine(summary.p95),
					msFine(summary.max),
					`${result.contents.length} / ${characters(result.contents).toLocaleString('en-US')}`,
				]);
			}
			if (budget === BUDGETS[0]) {
				const summary = summarize(lazy.durations);
				defaultMedian = summary.p50;
				defaultP95 = summary.p95;
			}
		}
		const size = statSync(path).size + (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0);
		return {
			setup:
				`A SQLite file (real migrations, WAL) holding one thread of ${EXCHANGES.toLocaleString('en-US')} questions ` +
				`(${QUESTION_CHARS.join('–')} chars, 4 members) each with its answer (${ANSWER_CHARS.join('–')} chars), ` +
				`${(size / 2 ** 20).toFixed(1)} MiB, written in ${Math.round(fillMs)} ms; then the new question the reply ` +
				`is for. Timed with performance.now(): what the reply does to load its context, ` +
				`buildContents(store.contextNewestFirst(thread, question), budget), against the way before this change, ` +
				`buildContents([...store.listTurns(thread, { throughTurnId }).reverse()], budget); ${WARMUP.lazy} (now) or ` +
				`${WARMUP.full} (before) unmeasured runs, then ${RUNS} measured each, in this process, warm page cache; ` +
				'checked that both ways give the same contents.',
			header: ['budget (tokens)', 'way', 'p50', 'p95', 'max', 'contents / characters sent'],
			rows,
			failures,
			targets: [
				atMost('(e) context load at 5,000 turns, default budget, median ≤ 2 ms', defaultMedian, 2, msFine),
				atMost('(e) context load at 5,000 turns, default budget, p95 ≤ 2 ms', defaultP95, 2, msFine),
			],
		};
	} finally {
		db.close();
		rmSync(directory, { recursive: true, force: true });
	}
}
