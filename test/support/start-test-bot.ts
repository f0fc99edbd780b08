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
	/** The variables the bot was configured with (for running its scripts against the same fakes). */
	readonly environment: Environment;
	/** Every log line the bot wrote (debug and up), as JSON text. */
	readonly logLines: string[];
	/**
	 * Stops the bot and starts a new one on the same database file and the same fake Discord; `whileStopped` runs
	 * in between (members posting while the bot is away).
	 */
	restart(whileStopped?: () => Promise<unknown>): Promise<void>;
	close(): Promise<void>;
};

/** Fakes and a database file to reuse (after a bot in another process crashed on them, say). */
export type ExistingWorld = { discord: FakeDiscord; gemini: FakeGemini; databasePath: string };

/** The real bot, logged in to a fake Discord and talking to a fake Gemini, with a fresh database file. */
export async function startTestBot(
	env: Environment | ((fakes: { discord: FakeDiscord; gemini: FakeGemini }) => Environment) = {},
	existing?: ExistingWorld,
): Promise<TestBot> {
	const discord = existing?.discord ?? (await startFakeDiscord());
	const gemini = existing?.gemini ?? (await startFakeGemini());
	const directory = mkdtempSync(join(tmpdir(), 'gemthread-e2e-'));
	const databasePath = existing?.databasePath ?? join(directory, 'gemthread.db');
	const environment: Environment = {
		...testEnvironment({ discord, gemini, databasePath }),
		...(typeof env === 'function' ? env({ discord, gemini }) : env),
	};
	const config = parseConfig(environment);
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
		environment,
		async restart(whileStopped) {
			await bot.stop(1_000);
			await whileStopped?.();
			bot = await startBot(config, logger);
		},
		async close() {
			await bot.stop(1_000);
			const unguarded = writesThatCouldPing(discord);
			await Promise.all([discord.close(), gemini.close()]);
			rmSync(directory, { recursive: true, force: true });
			if (unguarded.length > 0) {
				throw new Error(`bot writes without allowed_mentions { parse: [] }: ${JSON.stringify(unguarded)}`);
			}
		},
	};
}

/** The settings that point a bot at the fakes and a database file. */
export function testEnvironment(world: ExistingWorld): Record<string, string> {
	return {
		DISCORD_TOKEN: world.discord.token,
		DISCORD_API_BASE: world.discord.apiBase,
		GEMINI_API_KEY: world.gemini.apiKey,
		GEMINI_BASE_URL: world.gemini.url,
		DATABASE_PATH: world.databasePath,
		STREAM_EDIT_INTERVAL_MS: '250',
		ATTACHMENT_ORIGINS: world.discord.cdn.origin,
	};
}

/** Every message write or interaction response with content that did not carry `allowed_mentions: { parse: [] }`. */
function writesThatCouldPing(discord: FakeDiscord): { method: string; path: string }[] {
	return discord.requests
		.filter((request) => request.method === 'POST' || request.method === 'PATCH')
		.filter((request) => {
			const body = request.body as
				| { content?: unknown; data?: { content?: unknown; allowed_mentions?: unknown }; allowed_mentions?: unknown }
				| undefined;
			const payload = request.path.endsWith('/callback') ? body?.data : body;
			if (typeof payload?.content !== 'string' || payload.content === '') return false;
			const guard = payload.allowed_mentions as { parse?: unknown[] } | undefined;
			return !Array.isArray(guard?.parse) || guard.parse.length > 0;
		})
		.map(({ method, path }) => ({ method, path }));
}
