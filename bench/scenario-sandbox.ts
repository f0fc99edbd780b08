import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Scenario, ScenarioResult } from './scenario.js';
import { check } from './scenario.js';
import { ms, seconds } from './stats.js';
import { atMost } from './targets.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = 3;
/** How long the bench waits for the URL line: a native build in bin/setup.js may take minutes (a slow start is a missed
 * target, not a failure). */
const URL_GIVE_UP_MS = 300_000;
/** For each later step: the page, the state with commands and the demo model, the first answer. */
const STEP_GIVE_UP_MS = 30_000;
const STOP_GIVE_UP_MS = 10_000;
const POLL_MS = 20;
const TARGET_MS = 10_000;
const URL_LINE = /^gemthread sandbox: (http:\/\/\S+)$/m;
/** Folders a copy of the working tree leaves out, as a clone would not have them either. */
const NOT_COPIED = ['node_modules', 'dist', 'data', 'artifacts', 'scratch', '.git'];

type State = {
	bot: { id: string };
	speakers: { id: string }[];
	channels: { id: string; kind: 'text' | 'thread'; parentId?: string }[];
	commands: unknown[];
	model: { name: string; demo: boolean };
};

type Message = { author: { bot: boolean }; content: string };

type Run = {
	/** Spawn → the URL line on stdout. */
	urlMs: number;
	/** Spawn → `GET /` answers 200 with the HTML page. */
	pageMs: number;
	/** Spawn → `/api/state` lists the slash commands and says the demo model answers. */
	stateMs: number;
	/** Spawn → a bot message with "Demo model" in the thread the mention opened. */
	answerMs: number;
	/** The mention posted → that bot message. */
	mentionToAnswerMs: number;
	/** bin/setup.js: "building better-sqlite3…" → "is ready." on stderr; NaN when it built nothing or did not finish. */
	buildMs: number;
	/** Whether bin/setup.js started building better-sqlite3. */
	building: boolean;
	/** Why prebuild-install fetched no prebuilt binary, so that node-gyp compiled it; empty when it did not say. */
	prebuiltMissing: string;
	stopMs: number;
	code: number | null;
	signal: NodeJS.Signals | null;
	killed: boolean;
	model: string;
	output: string;
};

const sleep = (delay: number): Promise<void> => new Promise((done) => setTimeout(done, delay));

/** Calls `attempt` every POLL_MS until it returns a value, or undefined after `giveUpMs`; a throw counts as not yet. */
async function poll<T>(giveUpMs: number, attempt: () => Promise<T | undefined>): Promise<T | undefined> {
	const deadline = performance.now() + giveUpMs;
	while (performance.now() < deadline) {
		const value = await attempt().catch(() => undefined);
		if (value !== undefined) return value;
		await sleep(POLL_MS);
	}
	return undefined;
}

async function getJson(url: string): Promise<unknown> {
	const response = await fetch(url);
	if (!response.ok) throw new Error(`${url}: ${response.status}`);
	return response.json();
}

/** PATH without any node_modules/.bin (`npm run bench` puts the repository's first): the clone uses its own tools. */
function cleanPath(): string {
	const bin = `${sep}node_modules${sep}.bin`;
	return (process.env['PATH'] ?? '')
		.split(delimiter)
		.filter((dir) => dir !== '' && !dir.endsWith(bin))
		.join(delimiter);
}

function git(args: readonly string[], cwd = ROOT): ReturnType<typeof spawnSync> & { stdout: string } {
	return spawnSync('git', args, { cwd, encoding: 'utf8' });
}

/**
 * `git clone` of the committed HEAD when it has the sandbox; otherwise the files a clone of the working tree would
 * have (tracked and untracked, not ignored, as they are now on disk) and a fresh `git init`. Returns how.
 */
function freshClone(into: string): string {
	const head = git(['rev-parse', '--short', 'HEAD']).stdout.trim();
	const committed = git(['cat-file', '-e', 'HEAD:src/scripts/sandbox.ts']).status === 0;
	if (committed) {
		const clone = git(['clone', '-q', ROOT, into]);
		if (clone.status !== 0) throw new Error(`git clone failed: ${clone.stdout}${String(clone.stderr)}`);
		return `a fresh \`git clone\` of the committed HEAD (${head})`;
	}
	const listed = git(['ls-files', '-co', '--exclude-standard', '-z']);
	if (listed.status !== 0) throw new Error(`git ls-files failed: ${String(listed.stderr)}`);
	const files = listed.stdout
		.split('\0')
		.filter((file) => file !== '' && !NOT_COPIED.some((folder) => file === folder || file.startsWith(`${folder}/`)))
		// Deleted in the working tree but still in the index.
		.filter((file) => existsSync(join(ROOT, file)));
	for (const file of files) {
		mkdirSync(dirname(join(into, file)), { recursive: true });
		cpSync(join(ROOT, file), join(into, file));
	}
	const init = git(['init', '-q'], into);
	if (init.status !== 0) throw new Error(`git init failed: ${String(init.stderr)}`);
	return (
		`a copy of the working tree as git would clone it (HEAD ${head} has no src/scripts/sandbox.ts yet: ` +
		`${files.length} tracked and untracked files, not ignored, as on disk; then a fresh \`git init\`)`
	);
}

/** `npm run sandbox` in `cwd`, timed from spawn to each step, then SIGTERM to its process group and the wait for exit. */
async function startOnce(cwd: string, env: Record<string, string>): Promise<Run> {
	const run: Run = {
		urlMs: Number.NaN,
		pageMs: Number.NaN,
		stateMs: Number.NaN,
		answerMs: Number.NaN,
		mentionToAnswerMs: Number.NaN,
		buildMs: Number.NaN,
		building: false,
		prebuiltMissing: '',
		stopMs: Number.NaN,
		code: null,
		signal: null,
		killed: false,
		model: '',
		output: '',
	};
	const startedAt = performance.now();
	const since = (): number => performance.now() - startedAt;
	// Its own process group (npm, sh, tsx, node), so that SIGTERM reaches all of it and nothing outlives the bench.
	const npm = spawn('npm', ['run', 'sandbox'], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	let stdout = '';
	let stderr = '';
	let buildStartedAt = Number.NaN;
	let exited = false;
	const closed = new Promise<void>((resolve) => {
		npm.on('close', (code, signal) => {
			exited = true;
			run.code = code;
			run.signal = signal;
			resolve();
		});
	});
	npm.on('error', (error) => {
		stderr += `\nspawn failed: ${error.message}`;
	});
	npm.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
		if (Number.isNaN(buildStartedAt) && stderr.includes('gemthread: building')) {
			buildStartedAt = performance.now();
			run.building = true;
		}
		run.prebuiltMissing = /prebuild-install warn install (.*)/.exec(stderr)?.[1] ?? '';
		if (!Number.isNaN(buildStartedAt) && Number.isNaN(run.buildMs) && /better-sqlite3 is ready\./.test(stderr)) {
			run.buildMs = performance.now() - buildStartedAt;
		}
	});
	const url = await new Promise<string | undefined>((resolve) => {
		const giveUp = setTimeout(() => {
			resolve(undefined);
		}, URL_GIVE_UP_MS);
		npm.stdout.on('data', (chunk: Buffer) => {
			stdout += chunk.toString();
			const found = URL_LINE.exec(stdout)?.[1];
			if (found === undefined || !Number.isNaN(run.urlMs)) return;
			run.urlMs = since();
			clearTimeout(giveUp);
			resolve(found);
		});
		void closed.then(() => {
			clearTimeout(giveUp);
			resolve(undefined);
		});
	});
	try {
		if (url === undefined) return run;
		const base = url.replace(/\/$/, '');
		const page = await poll(STEP_GIVE_UP_MS, async () => {
			const response = await fetch(`${base}/`);
			const html = await response.text();
			return response.status === 200 && /<html/i.test(html) ? html : undefined;
		});
		if (page === undefined) return run;
		run.pageMs = since();
		const state = await poll(STEP_GIVE_UP_MS, async () => {
			const current = (await getJson(`${base}/api/state`)) as State;
			return current.commands.length > 0 && current.model.demo ? current : undefined;
		});
		if (state === undefined) return run;
		run.stateMs = since();
		run.model = state.model.name;
		const speaker = state.speakers[0]?.id ?? '';
		const channel = state.channels.find((entry) => entry.kind === 'text')?.id ?? '';
		const mentionedAt = performance.now();
		const posted = await fetch(`${base}/api/channels/${channel}/messages`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ as: speaker, content: `<@${state.bot.id}> hello from the bench` }),
		});
		if (!posted.ok) {
			stderr += `\nPOST a mention: ${posted.status} ${await posted.text()}`;
			return run;
		}
		const answered = await poll(STEP_GIVE_UP_MS, async () => {
			const threads = ((await getJson(`${base}/api/state`)) as State).channels.filter(
				(entry) => entry.kind === 'thread' && entry.parentId === channel,
			);
			for (const thread of threads) {
				const messages = (await getJson(`${base}/api/channels/${thread.id}/messages?as=${speaker}`)) as Message[];
				if (messages.some((message) => message.author.bot && message.content.includes('Demo model'))) return true;
			}
			return undefined;
		});
		if (answered === undefined) return run;
		run.answerMs = since();
		run.mentionToAnswerMs = performance.now() - mentionedAt;
		return run;
	} finally {
		const stoppedAt = performance.now();
		const group = npm.pid;
		const signal = (name: NodeJS.Signals): void => {
			if (group === undefined || exited) return;
			try {
				process.kill(-group, name);
			} catch {
				// Already gone.
			}
		};
		signal('SIGTERM');
		const kill = setTimeout(() => {
			run.killed = true;
			signal('SIGKILL');
		}, STOP_GIVE_UP_MS);
		await closed;
		clearTimeout(kill);
		run.stopMs = performance.now() - stoppedAt;
		// node-gyp's "gyp info" lines say nothing the failure needs.
		run.output = `${stdout}\n${stderr}`.replace(/^gyp info .*\n/gm, '').slice(-2_000);
	}
}

export const sandboxScenario: Scenario = {
	name: 'sandbox',
	letter: 'n',
	title: '(n) `npm run sandbox` from a fresh clone with nothing configured: page, demo model, first answer',
	async run(): Promise<ScenarioResult> {
		const failures: string[] = [];
		const clone = mkdtempSync(join(tmpdir(), 'gemthread-bench-sandbox-'));
		const home = process.env['HOME'] ?? tmpdir();
		// Nothing model-related, nothing of the bench's own npm: PATH, HOME and the sandbox's port.
		const env: Record<string, string> = { PATH: cleanPath(), HOME: home, SANDBOX_PORT: '0' };
		let source: string;
		let installMs: number;
		const runs: Run[] = [];
		try {
			source = freshClone(clone);
			check(failures, !existsSync(join(clone, '.env')), 'the fresh clone has a .env');
			const installStartedAt = performance.now();
			const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: clone, env, encoding: 'utf8' });
			installMs = performance.now() - installStartedAt;
			check(failures, install.status === 0, `npm ci failed: ${install.stdout}${install.stderr}`);
			if (install.status === 0) for (let index = 0; index < RUNS; index += 1) runs.push(await startOnce(clone, env));
		} finally {
			rmSync(clone, { recursive: true, force: true });
		}
		const label = (index: number): string =>
			index === 0 ? 'first start in a fresh clone' : `later start ${String(index)}`;
		for (const [index, run] of runs.entries()) {
			const name = label(index);
			check(
				failures,
				Number.isFinite(run.urlMs),
				`${name}: no "gemthread sandbox: http://…" line within ${seconds(URL_GIVE_UP_MS)}:\n${run.output}`,
			);
			if (!Number.isFinite(run.urlMs)) continue;
			check(failures, Number.isFinite(run.pageMs), `${name}: GET / did not serve the page:\n${run.output}`);
			check(
				failures,
				Number.isFinite(run.stateMs) || !Number.isFinite(run.pageMs),
				`${name}: /api/state never listed the commands with the demo model:\n${run.output}`,
			);
			check(
				failures,
				Number.isFinite(run.answerMs) || !Number.isFinite(run.stateMs),
				`${name}: no bot answer with "Demo model" in a thread:\n${run.output}`,
			);
			check(failures, !run.killed, `${name}: still running ${seconds(STOP_GIVE_UP_MS)} after SIGTERM (SIGKILLed)`);
		}
		const first = runs[0];
		const later = runs.slice(1);
		const laterMax = later.length === RUNS - 1 ? Math.max(...later.map((run) => run.stateMs)) : Number.NaN;
		const built =
			first === undefined || !first.building
				? 'built nothing'
				: `built better-sqlite3 in ${ms(first.buildMs)}` +
					(first.prebuiltMissing === ''
						? ''
						: `, compiled from source by node-gyp: prebuild-install fetched no prebuilt binary ("${first.prebuiltMissing}")`);
		return {
			setup:
				`The repository as ${source}, in a temp folder (removed afterwards); ` +
				`\`npm ci --no-audit --no-fund\` in it took ${seconds(installMs)} (.npmrc: ignore-scripts, so no native ` +
				`build; not part of the target). Then ${String(RUNS)} × \`npm run sandbox\` in the clone (no .env), env ` +
				'only PATH (without any node_modules/.bin), HOME and SANDBOX_PORT=0: no model setting, so the demo model. ' +
				`The first start is the first in the fresh clone (bin/setup.js ${built}); the later ones keep its ` +
				'data/sandbox.db. Times from spawn: the URL line on stdout; `GET /` → 200 with the HTML page; ' +
				'`/api/state` listing the slash commands with model.demo true (the working page); a mention posted as the ' +
				`first speaker in the first channel → a bot message containing "Demo model" in the thread it opened (polled ` +
				`every ${String(POLL_MS)} ms). Then SIGTERM to the process group and the wait for exit.` +
				(first?.model ? ` Model: ${first.model}.` : ''),
			header: [
				'run',
				'→ URL line',
				'→ page 200',
				'→ commands + demo',
				'→ first answer',
				'mention → answer',
				'setup.js build',
				'SIGTERM → exit',
				'exit',
			],
			rows: runs.map((run, index) => [
				label(index),
				ms(run.urlMs),
				ms(run.pageMs),
				ms(run.stateMs),
				ms(run.answerMs),
				ms(run.mentionToAnswerMs),
				run.building ? ms(run.buildMs) : 'none',
				ms(run.stopMs),
				run.signal ?? String(run.code),
			]),
			failures,
			targets: [
				atMost(
					'(n) fresh clone, nothing configured: npm run sandbox → working page with the demo model ≤ 10 s',
					first?.stateMs ?? Number.NaN,
					TARGET_MS,
					ms,
				),
				atMost(
					`(n) later starts: npm run sandbox → working page with the demo model, max of ${String(RUNS - 1)} ≤ 10 s`,
					laterMax,
					TARGET_MS,
					ms,
				),
			],
		};
	},
};
