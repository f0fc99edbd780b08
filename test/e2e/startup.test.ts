import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeDiscord } from '../fakes/fake-discord/index.js';
import type { FakeDiscord } from '../fakes/fake-discord/index.js';
import { startFakeGemini } from '../fakes/fake-gemini/index.js';
import type { FakeGemini } from '../fakes/fake-gemini/index.js';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
// Runs the TypeScript entry point directly, as `npm start` runs its compiled twin.
const TSX_LOADER = createRequire(import.meta.url).resolve('tsx');

type Run = { code: number | null; stdout: string; stderr: string };

/** Starts the bot's entry point in `cwd` with only `env`; `whenOutput` lets the test act once a line appears. */
function runMain(
	cwd: string,
	env: Record<string, string>,
	whenOutput?: (output: string, stop: () => void) => void,
): Promise<Run> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--import', TSX_LOADER, MAIN], {
			cwd,
			env: { PATH: process.env['PATH'] ?? '', ...env },
		});
		let stdout = '';
		let stderr = '';
		let stopped = false;
		const stop = () => {
			if (!stopped) child.kill('SIGTERM');
			stopped = true;
		};
		child.stdout.on('data', (chunk: Buffer) => {
			stdout += chunk.toString();
			whenOutput?.(stdout, stop);
		});
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.on('error', reject);
		child.on('close', (code) => {
			resolve({ code, stdout, stderr });
		});
	});
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0)) await cleanup();
});

function tempDirectory(): string {
	const directory = mkdtempSync(join(tmpdir(), 'gemthread-start-'));
	cleanups.push(() => {
		rmSync(directory, { recursive: true, force: true });
	});
	return directory;
}

describe('starting the bot', () => {
	it('names every missing variable and where to get it, without a stack trace', async () => {
		const run = await runMain(tempDirectory(), {});
		expect(run.code).toBe(1);
		expect(run.stderr).toContain('DISCORD_TOKEN is required');
		expect(run.stderr).toContain('https://discord.com/developers/applications');
		expect(run.stderr).toContain('GEMINI_API_KEY is required');
		expect(run.stderr).toContain('https://aistudio.google.com/apikey');
		expect(run.stderr).not.toMatch(/\n\s+at /);
	});

	it('runs from a .env file, logs in, and shuts down cleanly on SIGTERM', async () => {
		const discord: FakeDiscord = await startFakeDiscord();
		const gemini: FakeGemini = await startFakeGemini();
		cleanups.push(() => Promise.all([discord.close(), gemini.close()]).then(() => undefined));
		const directory = tempDirectory();
		writeFileSync(
			join(directory, '.env'),
			[
				`DISCORD_TOKEN=${discord.token}`,
				`DISCORD_API_BASE=${discord.apiBase}`,
				`GEMINI_API_KEY=${gemini.apiKey}`,
				`GEMINI_BASE_URL=${gemini.url}`,
				'DATABASE_PATH=./state/bot.db',
			].join('\n'),
		);
		const run = await runMain(directory, {}, (output, stop) => {
			if (output.includes('"msg":"ready"')) stop();
		});
		expect(run.code).toBe(0);
		expect(run.stdout).toContain('"msg":"stopped"');
		expect(run.stdout).not.toContain(discord.token);
		expect(discord.commands.putCount).toBe(1);
	});

	it('explains a token Discord rejects', async () => {
		const discord = await startFakeDiscord();
		cleanups.push(() => discord.close());
		const run = await runMain(tempDirectory(), {
			DISCORD_TOKEN: 'not-the-token',
			DISCORD_API_BASE: discord.apiBase,
			GEMINI_API_KEY: 'key',
			DATABASE_PATH: ':memory:',
			LOG_LEVEL: 'silent',
		});
		expect(run.code).toBe(1);
		expect(run.stderr).toMatch(/Discord rejected DISCORD_TOKEN/);
	});
});
