import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeDiscord } from '../../src/emulator/discord/index.js';
import { startFakeGemini } from '../fakes/fake-gemini/index.js';
import { freePort } from '../support/health-bot.js';
import { POSTGRES_TESTS_RUN, TEST_DATABASE_URL } from '../support/postgres.js';
import { expectOneLineNaming, runMain } from '../support/run-main.js';

/** Starts the bot's entry point against the fakes with DATABASE_URL set to `url`. */
async function startOn(url: string, onFinished: (cleanup: () => Promise<void> | void) => void) {
	const [discord, gemini] = await Promise.all([startFakeDiscord(), startFakeGemini()]);
	const directory = mkdtempSync(join(tmpdir(), 'gemthread-pg-start-'));
	onFinished(async () => {
		await Promise.all([discord.close(), gemini.close()]);
		rmSync(directory, { recursive: true, force: true });
	});
	return runMain(directory, {
		DISCORD_TOKEN: discord.token,
		DISCORD_API_BASE: discord.apiBase,
		GEMINI_API_KEY: gemini.apiKey,
		GEMINI_BASE_URL: gemini.url,
		DATABASE_URL: url,
	});
}

/** TEST_DATABASE_URL with another user, password, port or database. */
function variant(change: (url: URL) => void): string {
	const url = new URL(TEST_DATABASE_URL);
	change(url);
	return url.toString();
}

describe.runIf(POSTGRES_TESTS_RUN).concurrent('starting on PostgreSQL that cannot be used', () => {
	it('says the server refused the connection, in one line naming DATABASE_URL', async ({ onTestFinished }) => {
		const port = await freePort();
		const run = await startOn(
			variant((url) => (url.port = String(port))),
			onTestFinished,
		);
		expectOneLineNaming(run, 'DATABASE_URL');
		expect(run.stderr).toContain(`127.0.0.1:${port}`);
		expect(run.stderr).toContain('refused the connection');
	});

	it('says the login was rejected, without the password', async ({ onTestFinished }) => {
		const run = await startOn(
			variant((url) => {
				url.username = 'no_such_role';
				url.password = 'secret-password-123';
			}),
			onTestFinished,
		);
		expectOneLineNaming(run, 'DATABASE_URL');
		expect(run.stderr).toContain('rejected the login of user "no_such_role"');
		expect(run.stderr + run.stdout).not.toContain('secret-password-123');
	});

	it('says the database is missing and how to create it', async ({ onTestFinished }) => {
		const run = await startOn(
			variant((url) => (url.pathname = '/no_such_database')),
			onTestFinished,
		);
		expectOneLineNaming(run, 'DATABASE_URL');
		expect(run.stderr).toContain('has no database "no_such_database": create it (createdb no_such_database)');
	});

	it('refuses a DATABASE_URL that is not a PostgreSQL URL', async ({ onTestFinished }) => {
		const run = await startOn('mysql://root@127.0.0.1/gemthread', onTestFinished);
		expect(run.code).toBe(1);
		expect(run.stderr).toContain('DATABASE_URL must be a PostgreSQL URL');
	});
});
