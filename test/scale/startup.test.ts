import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeDiscord } from '../../src/emulator/discord/index.js';
import { startFakeGemini } from '../fakes/fake-gemini/index.js';
import { freePort } from '../support/health-bot.js';
import { createTestSchema, POSTGRES_TESTS_RUN } from '../support/postgres.js';
import { expectOneLineNaming, runMain } from '../support/run-main.js';

type Cleanup = (cleanup: () => Promise<void> | void) => void;

/** The bot's entry point against the fakes, as one process of two (shard 0 of 2), with `env`. */
async function startShardZero(env: Record<string, string>, onFinished: Cleanup) {
	const [discord, gemini] = await Promise.all([startFakeDiscord(), startFakeGemini()]);
	const directory = mkdtempSync(join(tmpdir(), 'gemthread-shard-start-'));
	onFinished(async () => {
		await Promise.all([discord.close(), gemini.close()]);
		rmSync(directory, { recursive: true, force: true });
	});
	return runMain(directory, {
		DISCORD_TOKEN: discord.token,
		DISCORD_API_BASE: discord.apiBase,
		GEMINI_API_KEY: gemini.apiKey,
		GEMINI_BASE_URL: gemini.url,
		SHARD_COUNT: '2',
		SHARD_IDS: '0',
		...env,
	});
}

describe.concurrent('starting one process of several', () => {
	it('names REDIS_URL and DATABASE_URL when they are missing, before anything starts', async ({ onTestFinished }) => {
		const run = await startShardZero({}, onTestFinished);
		expect(run.code).toBe(1);
		expect(run.stderr).toContain('REDIS_URL is required with 2 processes');
		expect(run.stderr).toContain('DATABASE_URL is required with 2 processes');
		expect(run.stderr).not.toMatch(/\n\s+at /);
	});

	it.runIf(POSTGRES_TESTS_RUN)(
		'stops with one line naming REDIS_URL when Redis refuses',
		async ({ onTestFinished }) => {
			const schema = await createTestSchema();
			onTestFinished(() => schema.drop());
			const port = await freePort();
			const run = await startShardZero(
				{ DATABASE_URL: schema.url, REDIS_URL: `redis://:secret-redis-password@127.0.0.1:${port}` },
				onTestFinished,
			);
			expectOneLineNaming(run, 'REDIS_URL');
			expect(run.stderr).toContain(`Redis at 127.0.0.1:${port} (REDIS_URL) refused the connection`);
			expect(run.stderr + run.stdout).not.toContain('secret-redis-password');
		},
	);
});
