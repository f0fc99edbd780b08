import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Environment } from '../../src/config/config.js';
import { parseConfig } from '../../src/config/config.js';
import type { Bot } from '../../src/index.js';
import { startBot } from '../../src/index.js';
import { createLogger } from '../../src/log/logger.js';
import { startFakeDiscord } from '../../src/emulator/discord/index.js';
import type { FakeDiscord } from '../../src/emulator/discord/index.js';
import { startFakeGemini } from '../fakes/fake-gemini/index.js';
import type { FakeGemini } from '../fakes/fake-gemini/index.js';
import { createTestSchema } from './postgres.js';
import type { TestDatabaseTarget, TestSql } from './test-sql.js';
import { openTestSql } from './test-sql.js';

export type TestBot = {
	readonly discord: FakeDiscord;
	readonly gemini: FakeGemini;
	readonly bot: Bot;
	readonly databasePath: string;
	/** The fakes and the database, for a second bot on the same world (another process's, say). */
	readonly world: ExistingWorld;
	/** Which database the bot runs on (TEST_BACKEND). */
	readonly backend: 'sqlite' | 'postgres';
	/** Raw SQL on the bot's database, for what its stores do not show (row counts, stored bytes). */
	readonly sql: TestSql;
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

/**
 * Fakes and a database to reuse (after a bot in another process crashed on them, say): the SQLite file, or with
 * `databaseUrl` a PostgreSQL schema.
 */
export type ExistingWorld = {
	discord: FakeDiscord;
	gemini: FakeGemini;
	databasePath: string;
	databaseUrl?: string | undefined;
};

/** TEST_BACKEND=postgres runs the test bots on PostgreSQL (a schema each), as the `postgres` test project does. */
export const TEST_BACKEND: 'sqlite' | 'postgres' = process.env['TEST_BACKEND'] === 'postgres' ? 'postgres' : 'sqlite';

/** The real bot, logged in to a fake Discord and talking to a fake Gemini, with a fresh database file. */
export async function startTestBot(
	env: Environment | ((fakes: { discord: FakeDiscord; gemini: FakeGemini }) => Environment) = {},
	existing?: ExistingWorld,
	options: { readonly backend?: 'sqlite' | 'postgres' } = {},
): Promise<TestBot> {
	const backend = options.backend ?? TEST_BACKEND;
	const discord = existing?.discord ?? (await startFakeDiscord());
	const gemini = existing?.gemini ?? (await startFakeGemini());
	const directory = mkdtempSync(join(tmpdir(), 'gemthread-e2e-'));
	const databasePath = existing?.databasePath ?? join(directory, 'gemthread.db');
	const schema = existing === undefined && backend === 'postgres' ? await createTestSchema() : undefined;
	const databaseUrl = existing?.databaseUrl ?? schema?.url;
	const environment: Environment = {
		...testEnvironment({ discord, gemini, databasePath, databaseUrl }),
		...(typeof env === 'function' ? env({ discord, gemini }) : env),
	};
	const config = parseConfig(environment);
	const target: TestDatabaseTarget =
		config.databaseUrl === undefined
			? { backend: 'sqlite', path: config.databasePath }
			: { backend: 'postgres', url: config.databaseUrl };
	const logLines: string[] = [];
	const sink = new Writable({
		write(chunk: Buffer, _encoding, callback) {
			logLines.push(chunk.toString());
			callback();
		},
	});
	const logger = createLogger('debug', sink);
	let bot: Bot;
	try {
		bot = await startBot(config, logger);
	} catch (error) {
		await schema?.drop();
		rmSync(directory, { recursive: true, force: true });
		throw error;
	}
	const sql = openTestSql(target);
	return {
		discord,
		gemini,
		get bot() {
			return bot;
		},
		databasePath,
		world: { discord, gemini, databasePath, databaseUrl },
		backend: target.backend,
		sql,
		logLines,
		environment,
		async restart(whileStopped) {
			await bot.stop(1_000);
			await whileStopped?.();
			bot = await startBot(config, logger);
		},
		async close() {
			await bot.stop(1_000);
			await sql.close();
			await schema?.drop();
			const unguarded = writesThatCouldPing(discord);
			await Promise.all([discord.close(), gemini.close()]);
			rmSync(directory, { recursive: true, force: true });
			if (unguarded.length > 0) {
				throw new Error(`bot writes without allowed_mentions { parse: [] }: ${JSON.stringify(unguarded)}`);
			}
		},
	};
}

/** The settings that point a bot at the fakes and a database (the SQLite file, or PostgreSQL with a URL). */
export function testEnvironment(world: ExistingWorld): Record<string, string> {
	return {
		DISCORD_TOKEN: world.discord.token,
		DISCORD_API_BASE: world.discord.apiBase,
		GEMINI_API_KEY: world.gemini.apiKey,
		GEMINI_BASE_URL: world.gemini.url,
		DATABASE_PATH: world.databasePath,
		...(world.databaseUrl === undefined ? {} : { DATABASE_URL: world.databaseUrl }),
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
