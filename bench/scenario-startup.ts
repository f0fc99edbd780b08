import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MIGRATIONS_DIRECTORY, migrate } from '../src/store/sqlite/migrate.js';
import { openDatabase } from '../src/store/sqlite/open-database.js';
import { startFakeDiscord } from '../src/emulator/discord/index.js';
import { startFakeGemini } from '../test/fakes/fake-gemini/index.js';
import type { Scenario, ScenarioResult } from './scenario.js';
import { check } from './scenario.js';
import { ms, seconds, summarize } from './stats.js';
import { atMost } from './targets.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = 5;
const READY = '"msg":"ready"';
const GIVE_UP_MS = 20_000;
/** Every optional setting, set empty so that a `.env` in the repository cannot change it (dotenv never overrides). */
const OPTIONAL = [
	'DISCORD_GUILD_ID',
	'GEMINI_MODEL',
	'GEMINI_MODELS',
	'GEMINI_FALLBACK_MODELS',
	'GEMINI_RPM',
	'GEMINI_TPM',
	'GEMINI_USER_QUEUE_MAX',
	'GEMINI_CONCURRENCY',
	'GEMINI_MAX_ATTEMPTS',
	'GEMINI_IDLE_TIMEOUT_MS',
	'CONTEXT_TOKEN_BUDGET',
	'CATCH_UP_WINDOW',
	'SUMMARY_CHUNK_TOKENS',
	'STREAM_EDIT_INTERVAL_MS',
];

type Run = { readyMs: number; stopMs: number; code: number | null; rebuilt: boolean; output: string };

/** `npm start` in the repository: ms from spawn to the "ready" log line, then SIGTERM and the wait for exit. */
function startOnce(env: Record<string, string>): Promise<Run> {
	return new Promise((resolve, reject) => {
		const startedAt = performance.now();
		// Its own process group, so that nothing it started outlives the bench.
		const npm = spawn('npm', ['start'], { cwd: ROOT, env, detached: true });
		let stdout = '';
		let stderr = '';
		let readyMs = Number.NaN;
		let stoppedAt = Number.NaN;
		const giveUp = setTimeout(() => {
			if (npm.pid !== undefined) process.kill(-npm.pid, 'SIGKILL');
		}, GIVE_UP_MS);
		npm.stdout.on('data', (chunk: Buffer) => {
			stdout += chunk.toString();
			if (!Number.isNaN(readyMs) || !stdout.includes(READY)) return;
			readyMs = performance.now() - startedAt;
			stoppedAt = performance.now();
			npm.kill('SIGTERM');
		});
		npm.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		npm.on('error', reject);
		npm.on('close', (code) => {
			clearTimeout(giveUp);
			resolve({
				readyMs,
				stopMs: performance.now() - stoppedAt,
				code,
				rebuilt: stderr.includes('building'),
				output: `${stdout}\n${stderr}`.slice(-2_000),
			});
		});
	});
}

export const startupScenario: Scenario = {
	name: 'startup',
	letter: 'f',
	title: '(f) Ready time after `npm start` on a built checkout',
	async run(): Promise<ScenarioResult> {
		const failures: string[] = [];
		const buildStartedAt = performance.now();
		const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
		const buildMs = performance.now() - buildStartedAt;
		check(failures, build.status === 0, `npm run build failed: ${build.stdout}${build.stderr}`);
		// Without settings the launcher rebuilds only if dist/ is stale (touching the build info after a build that
		// changed nothing), then stops at the config check: after this, `npm start` must not build.
		const scratch = mkdtempSync(join(tmpdir(), 'gemthread-bench-start-'));
		const launcher = spawnSync(process.execPath, [join(ROOT, 'bin', 'start.js')], {
			cwd: scratch,
			env: { PATH: process.env['PATH'] ?? '' },
			encoding: 'utf8',
		});
		const launcherBuilt = launcher.stderr.includes('building');
		const dotenv = existsSync(join(ROOT, '.env'));
		const discord = await startFakeDiscord();
		const gemini = await startFakeGemini();
		const databasePath = join(scratch, 'bot.db');
		const db = openDatabase(databasePath);
		migrate(db, MIGRATIONS_DIRECTORY);
		db.close();
		const env: Record<string, string> = {
			PATH: process.env['PATH'] ?? '',
			HOME: process.env['HOME'] ?? tmpdir(),
			...Object.fromEntries(OPTIONAL.map((name) => [name, ''])),
			DISCORD_TOKEN: discord.token,
			DISCORD_API_BASE: discord.apiBase,
			GEMINI_API_KEY: gemini.apiKey,
			GEMINI_BASE_URL: gemini.url,
			DATABASE_PATH: databasePath,
			LOG_LEVEL: 'info',
		};
		const runs: Run[] = [];
		try {
			for (let run = 0; run < RUNS; run += 1) runs.push(await startOnce(env));
		} finally {
			await Promise.all([discord.close(), gemini.close()]);
			rmSync(scratch, { recursive: true, force: true });
		}
		for (const [index, run] of runs.entries()) {
			check(failures, Number.isFinite(run.readyMs), `run ${index + 1}: no "ready" line:\n${run.output}`);
			check(failures, run.code === 0, `run ${index + 1}: exit code ${String(run.code)} after SIGTERM`);
			check(failures, !run.rebuilt, `run ${index + 1}: npm start rebuilt dist/`);
		}
		const ready = summarize(runs.map((run) => run.readyMs));
		return {
			setup:
				`\`npm run build\` once first (${seconds(buildMs)}); then \`node bin/start.js\` without settings in a temp ` +
				`folder ${launcherBuilt ? 'REBUILT dist/ (it was stale)' : 'did not rebuild (dist/ fresh)'}. Then ${RUNS} × ` +
				'`npm start` in the repository root, env given explicitly (optional settings empty so a .env cannot ' +
				`change them; .env in the repository: ${dotenv ? 'present' : 'none'}), LOG_LEVEL=info, a migrated temp ` +
				'database file, the fakes in the bench process. Ready = spawn → `"msg":"ready"` on stdout; then SIGTERM ' +
				'to npm and wait for every process to exit.',
			header: ['run', 'spawn → ready', 'SIGTERM → exit', 'exit code', 'rebuilt'],
			rows: runs.map((run, index) => [
				String(index + 1),
				ms(run.readyMs),
				ms(run.stopMs),
				String(run.code),
				run.rebuilt ? 'yes' : 'no',
			]),
			failures,
			targets: [
				atMost('(f) npm start → ready, median ≤ 2 s', ready.p50, 2_000, ms),
				atMost('(f) npm start → ready, max of 5 ≤ 2 s', ready.max, 2_000, ms),
			],
		};
	},
};
