import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord } from '../../src/emulator/discord/index.js';
import { collect, expectOneLineNaming, ROOT, runMain } from '../support/run-main.js';
import type { FakeDiscord } from '../../src/emulator/discord/index.js';
import { startFakeGemini } from '../fakes/fake-gemini/index.js';
import type { FakeGemini } from '../fakes/fake-gemini/index.js';

const LAUNCHER = join(ROOT, 'bin', 'start.js');
const STOP_DEADLINE_MS = 10_000;

/** The test's own `onTestFinished`: the tests run concurrently, so cleanups cannot share a list. */
type Cleanup = (cleanup: () => Promise<void> | void) => void;

function tempDirectory(onFinished: Cleanup): string {
	const directory = mkdtempSync(join(tmpdir(), 'gemthread-start-'));
	onFinished(() => {
		rmSync(directory, { recursive: true, force: true });
	});
	return directory;
}

/** A fake Discord and a fake Gemini, and the settings that point the bot at them. */
async function startFakes(
	onFinished: Cleanup,
	databasePath: string,
): Promise<{ discord: FakeDiscord; settings: Record<string, string> }> {
	const discord: FakeDiscord = await startFakeDiscord();
	const gemini: FakeGemini = await startFakeGemini();
	onFinished(() => Promise.all([discord.close(), gemini.close()]).then(() => undefined));
	const settings = {
		DISCORD_TOKEN: discord.token,
		DISCORD_API_BASE: discord.apiBase,
		GEMINI_API_KEY: gemini.apiKey,
		GEMINI_BASE_URL: gemini.url,
		DATABASE_PATH: databasePath,
	};
	return { discord, settings };
}

/** A temp folder whose `.env` points the bot at the fakes and at `databasePath` (relative to the folder). */
async function folderWithEnv(
	onFinished: Cleanup,
	databasePath: string,
): Promise<{ directory: string; discord: FakeDiscord }> {
	const directory = tempDirectory(onFinished);
	const { discord, settings } = await startFakes(onFinished, databasePath);
	const lines = Object.entries(settings).map(([name, value]) => `${name}=${value}`);
	writeFileSync(join(directory, '.env'), lines.join('\n'));
	return { directory, discord };
}

// Concurrent: each test mostly waits for a child process to load the bot.
describe.concurrent('starting the bot', () => {
	it('names every missing variable and where to get it, without a stack trace', async ({ onTestFinished }) => {
		const run = await runMain(tempDirectory(onTestFinished), {});
		expect(run.code).toBe(1);
		expect(run.stderr).toContain('DISCORD_TOKEN is required');
		expect(run.stderr).toContain('https://discord.com/developers/applications');
		expect(run.stderr).toContain('GEMINI_API_KEY is required');
		expect(run.stderr).toContain('https://aistudio.google.com/apikey');
		expect(run.stderr).not.toMatch(/\n\s+at /);
	});

	it('runs from a .env file, logs in, and shuts down cleanly on SIGTERM', async ({ onTestFinished }) => {
		const { directory, discord } = await folderWithEnv(onTestFinished, './state/bot.db');
		const run = await runMain(
			directory,
			{},
			{
				whenOutput: (output, stop) => {
					if (output.includes('"msg":"ready"')) stop();
				},
			},
		);
		expect(run.code).toBe(0);
		expect(run.stdout).toContain('"msg":"stopped"');
		expect(run.stdout).not.toContain(discord.token);
		expect(discord.commands.putCount).toBe(1);
	});

	it('explains a token Discord rejects', async ({ onTestFinished }) => {
		const discord = await startFakeDiscord();
		onTestFinished(() => discord.close());
		const run = await runMain(tempDirectory(onTestFinished), {
			DISCORD_TOKEN: 'not-the-token',
			DISCORD_API_BASE: discord.apiBase,
			GEMINI_API_KEY: 'key',
			// Nothing listens there: the model check warns and the start goes on, without the network.
			GEMINI_BASE_URL: 'http://127.0.0.1:1',
			DATABASE_PATH: ':memory:',
			LOG_LEVEL: 'silent',
		});
		expect(run.code).toBe(1);
		expect(run.stderr).toMatch(/Discord rejected DISCORD_TOKEN/);
	});

	it('names DISCORD_API_BASE when Discord cannot be reached, before it creates the database', async ({
		onTestFinished,
	}) => {
		const { directory } = await folderWithEnv(onTestFinished, './bot.db');
		// Nothing listens on port 1.
		const run = await runMain(directory, { DISCORD_API_BASE: 'http://127.0.0.1:1/api' });
		expectOneLineNaming(run, 'DISCORD_API_BASE');
		expect(run.stderr).toContain('could not reach Discord at http://127.0.0.1:1/api (connect ECONNREFUSED');
		expect(existsSync(join(directory, 'bot.db'))).toBe(false);
	});

	it('names a mistyped model and the models there are, before it creates the database', async ({ onTestFinished }) => {
		const { directory } = await folderWithEnv(onTestFinished, './bot.db');
		const run = await runMain(directory, { GEMINI_MODELS: 'gemini-2.5-flash,gemini-2.5-prp' });
		expectOneLineNaming(run, 'GEMINI_MODELS');
		expect(run.stderr).toContain('"gemini-2.5-prp" (did you mean gemini-2.5-pro?)');
		expect(run.stderr).toContain('Available: gemini-2.0-flash, gemini-2.5-flash');
		expect(existsSync(join(directory, 'bot.db'))).toBe(false);
	});

	it('starts anyway, with a warning, when Gemini cannot be reached to check the models', async ({ onTestFinished }) => {
		const { directory } = await folderWithEnv(onTestFinished, './bot.db');
		const run = await runMain(
			directory,
			{ GEMINI_BASE_URL: 'http://127.0.0.1:1' },
			{
				whenOutput: (output, stop) => {
					if (output.includes('"msg":"ready"')) stop();
				},
			},
		);
		expect(run.code).toBe(0);
		expect(run.stdout).toContain('could not reach gemini to check the model names; starting anyway');
	});

	it('explains a token the gateway rejects (close 4004) although REST accepted it', async ({ onTestFinished }) => {
		const { directory, discord } = await folderWithEnv(onTestFinished, './bot.db');
		discord.rejectGatewayIdentify(true);
		const run = await runMain(directory, {});
		expectOneLineNaming(run, 'DISCORD_TOKEN');
		expect(run.stderr).toContain("Discord's gateway rejected DISCORD_TOKEN");
	});

	it('explains a database file that is not a database', async ({ onTestFinished }) => {
		const { directory } = await folderWithEnv(onTestFinished, './bot.db');
		writeFileSync(join(directory, 'bot.db'), 'these are not the bytes of a SQLite database'.repeat(200));
		const run = await runMain(directory, {});
		expectOneLineNaming(run, 'DATABASE_PATH');
		expect(run.stderr).toContain('not a SQLite database');
	});

	it('explains a DATABASE_PATH inside a file', async ({ onTestFinished }) => {
		const { directory } = await folderWithEnv(onTestFinished, './notes.txt/state/bot.db');
		writeFileSync(join(directory, 'notes.txt'), 'a file, not a folder');
		const run = await runMain(directory, {});
		expectOneLineNaming(run, 'DATABASE_PATH');
		expect(run.stderr).toContain(`${join(directory, 'notes.txt')} to be a folder`);
	});

	// Node's recursive mkdir loops forever there; the bot has to give up at once instead.
	it.skipIf(process.platform !== 'linux')(
		'gives up at once on a DATABASE_PATH under /proc',
		async ({ onTestFinished }) => {
			const { directory } = await folderWithEnv(onTestFinished, '/proc/gemthread/bot.db');
			const run = await runMain(directory, {}, { timeoutMs: 10_000 });
			expect(run.signal).toBeNull();
			expectOneLineNaming(run, 'DATABASE_PATH');
			expect(run.stderr).toContain('/proc/gemthread cannot be created');
		},
	);
});

describe.concurrent('npm start', () => {
	beforeAll(() => {
		// Without settings the launcher builds only if dist/ is missing or stale (CI built it in `npm ci`), then stops
		// at the config check; the temp folder keeps it away from a developer's .env.
		const directory = mkdtempSync(join(tmpdir(), 'gemthread-build-'));
		const run = spawnSync(process.execPath, [LAUNCHER], {
			cwd: directory,
			env: { PATH: process.env['PATH'] ?? '' },
			encoding: 'utf8',
		});
		rmSync(directory, { recursive: true, force: true });
		expect(run.stderr).toContain('DISCORD_TOKEN is required');
	}, 120_000);

	// To the group is what Ctrl+C in a terminal does: node gets the signal twice, directly and forwarded by npm.
	it.for([
		{ signal: 'SIGTERM', to: 'npm' },
		{ signal: 'SIGINT', to: 'the group' },
	] as const)(
		'starts without rebuilding; on $signal to $to the bot stops cleanly and every process exits',
		async ({ signal, to }, { onTestFinished }) => {
			const { settings } = await startFakes(onTestFinished, join(tempDirectory(onTestFinished), 'bot.db'));
			// detached: npm leads a process group of its own, so that a bot left behind by npm would still be found.
			const npm = spawn('npm', ['start'], {
				cwd: ROOT,
				detached: true,
				// Every setting the test relies on is given, so that a developer's .env cannot change it.
				env: {
					PATH: process.env['PATH'] ?? '',
					HOME: process.env['HOME'] ?? tmpdir(),
					LOG_LEVEL: 'info',
					DISCORD_GUILD_ID: '',
					...settings,
				},
			});
			const group = npm.pid!;
			onTestFinished(() => {
				killGroup(group);
			});
			let botPid = 0;
			let botParent = 0;
			let signalledAt = 0;
			const run = await collect(npm, {
				whenOutput: (output) => {
					if (signalledAt !== 0 || !output.includes('"msg":"ready"')) return;
					botPid = Number(/"pid":(\d+)/.exec(output)?.[1]);
					botParent = parentOf(botPid);
					signalledAt = Date.now();
					process.kill(to === 'npm' ? group : -group, signal);
				},
			});
			await untilGone(group);
			const stoppedWithin = Date.now() - signalledAt;

			expect(run.stderr).not.toContain('building');
			expect(run.stdout).toContain('"msg":"stopped"');
			expect(run.code).toBe(0);
			// No shell between npm and node: npm's signal reaches the bot itself.
			expect(botParent).toBe(group);
			expect(isAlive(botPid)).toBe(false);
			expect(isAlive(-group)).toBe(false);
			expect(stoppedWithin).toBeLessThan(STOP_DEADLINE_MS);
		},
	);
});

/** Whether a process (or, for a negative number, any process of that group) still exists. */
function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

async function untilGone(group: number): Promise<void> {
	const deadline = Date.now() + STOP_DEADLINE_MS;
	while (isAlive(-group) && Date.now() < deadline) await delay(50);
}

function killGroup(group: number): void {
	if (isAlive(-group)) process.kill(-group, 'SIGKILL');
}

function parentOf(pid: number): number {
	return Number(spawnSync('ps', ['-o', 'ppid=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim());
}
