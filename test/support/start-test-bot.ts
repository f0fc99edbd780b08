import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Environment } from '../../src/config.js';
import { parseConfig } from '../../src/config.js';
import type { Bot } from '../../src/index.js';
import { startBot } from '../../src/index.js';
import { createLogger } from '../../src/logger.js';
import { startFakeDiscord } from '../fakes/fake-discord/index.js';
import type { FakeDiscord } from '../fakes/fake-discord/index.js';
import { startFakeGemini } from '../fakes/fake-gemini/index.js';
import type { FakeGemini } from '../fakes/fake-gemini/index.js';

export type TestBot = {
	readonly discord: FakeDiscord;
	readonly gemini: FakeGemini;
	readonly bot: Bot;
	readonly databasePath: string;
	/** Every log line the bot wrote (debug and up), as JSON text. */
	readonly logLines: string[];
	/** Stops the bot and starts a new one on the same database file and the same fake Discord. */
	restart(): Promise<void>;
	close(): Promise<void>;
};

/** The real bot, logged in to a fake Discord and talking to a fake Gemini, with a fresh database file. */
export async function startTestBot(env: Environment = {}): Promise<TestBot> {
	const discord = await startFakeDiscord();
	const gemini = await startFakeGemini();
	const directory = mkdtempSync(join(tmpdir(), 'gemthread-e2e-'));
	const databasePath = join(directory, 'gemthread.db');
	const config = parseConfig({
		DISCORD_TOKEN: discord.token,
		DISCORD_API_BASE: discord.apiBase,
		GEMINI_API_KEY: gemini.apiKey,
		GEMINI_BASE_URL: gemini.url,
		DATABASE_PATH: databasePath,
		STREAM_EDIT_INTERVAL_MS: '250',
		...env,
	});
	const logLines: string[] = [];
	const sink = new Writable({
		write(chunk: Buffer, _encoding, callback) {
			logLines.push(chunk.toString());
			callback();
		},
	});
	const logger = createLogger('debug', sink);
	let bot = await startBot(config, logger);
	return {
		discord,
		gemini,
		get bot() {
			return bot;
		},
		databasePath,
		logLines,
		async restart() {
			await bot.stop(1_000);
			bot = await startBot(config, logger);
		},
		async close() {
			await bot.stop(1_000);
			await Promise.all([discord.close(), gemini.close()]);
			rmSync(directory, { recursive: true, force: true });
		},
	};
}
