import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import type { SandboxWorld } from '../../src/sandbox/sandbox-environment.js';
import { hasModelProvider, sandboxEnvironment } from '../../src/sandbox/sandbox-environment.js';

const world: SandboxWorld = {
	apiBase: 'http://127.0.0.1:4001/api',
	token: 'emulator-token',
	guildId: '1234567890123456789',
	cdnOrigin: 'http://127.0.0.1:4001',
	databasePath: '/tmp/sandbox.db',
	demoBaseUrl: undefined,
};
const demoWorld: SandboxWorld = { ...world, demoBaseUrl: 'http://127.0.0.1:4002/v1' };

describe('sandboxEnvironment', () => {
	it("points the bot at the emulator and the sandbox's own database, whatever the owner's settings say", () => {
		const env = sandboxEnvironment(
			{
				DISCORD_TOKEN: 'the-real-token',
				DISCORD_API_BASE: 'https://proxy.example/api',
				DISCORD_GUILD_ID: '42',
				DATABASE_PATH: '/srv/gemthread/gemthread.db',
				GEMINI_API_KEY: 'key',
			},
			world,
		);
		expect(env).toMatchObject({
			DISCORD_TOKEN: 'emulator-token',
			DISCORD_API_BASE: 'http://127.0.0.1:4001/api',
			DISCORD_GUILD_ID: world.guildId,
			DATABASE_PATH: '/tmp/sandbox.db',
			ATTACHMENT_ORIGINS: 'http://127.0.0.1:4001',
			GEMINI_API_KEY: 'key',
		});
	});

	it('leaves out everything of a deployment: PostgreSQL, Redis, shards, the health port', () => {
		const env = sandboxEnvironment(
			{
				GEMINI_API_KEY: 'key',
				DATABASE_URL: 'postgres://db/prod',
				REDIS_URL: 'redis://cache',
				SHARD_COUNT: '4',
				SHARD_IDS: '0-1',
				CLUSTER_PROCESSES: '2',
				HEALTH_PORT: '8080',
				HEALTH_HOST: '0.0.0.0',
			},
			world,
		);
		for (const name of ['DATABASE_URL', 'REDIS_URL', 'SHARD_COUNT', 'SHARD_IDS', 'CLUSTER_PROCESSES', 'HEALTH_PORT']) {
			expect(env).not.toHaveProperty(name);
		}
		expect(parseConfig(env)).toMatchObject({ databaseUrl: undefined, healthPort: undefined });
	});

	it("keeps the owner's model and its settings when one is configured", () => {
		const env = sandboxEnvironment(
			{ GEMINI_API_KEY: 'key', MODEL: 'gemini-2.5-pro', FALLBACK_MODELS: 'gemini-2.5-flash' },
			world,
		);
		expect(env).toMatchObject({ MODEL: 'gemini-2.5-pro', FALLBACK_MODELS: 'gemini-2.5-flash' });
		expect(env).not.toHaveProperty('DEMO_BASE_URL');
	});

	it('makes the demo model the only model when none is configured, whatever model names the settings hold', () => {
		const env = sandboxEnvironment(
			{ MODEL: 'gemini-2.5-pro', MODELS: 'gemini-2.5-flash', FALLBACK_MODELS: 'gemini-2.5-flash-lite' },
			demoWorld,
		);
		expect(env).toMatchObject({
			MODEL: 'demo/canned-text',
			OPENAI_COMPATIBLE: 'demo',
			DEMO_BASE_URL: demoWorld.demoBaseUrl,
		});
		expect(env).not.toHaveProperty('MODELS');
		expect(env).not.toHaveProperty('FALLBACK_MODELS');
		const config = parseConfig(env);
		expect(config.defaultModel).toBe('demo/canned-text');
	});

	it('keeps the log quiet (warnings and errors) unless LOG_LEVEL says otherwise', () => {
		expect(sandboxEnvironment({}, demoWorld).LOG_LEVEL).toBe('warn');
		expect(sandboxEnvironment({ LOG_LEVEL: 'debug' }, demoWorld).LOG_LEVEL).toBe('debug');
	});
});

describe('hasModelProvider', () => {
	it.each([
		[{ GEMINI_API_KEY: 'key' }, true],
		[{ GOOGLE_GENAI_USE_VERTEXAI: 'TRUE', GOOGLE_CLOUD_PROJECT: 'p' }, true],
		[{ OPENAI_BASE_URL: 'http://localhost:11434/v1' }, true],
		[{ OPENAI_API_KEY: 'sk-x' }, true],
		[{ OPENAI_COMPATIBLE: 'openrouter' }, true],
		[{}, false],
		[{ GEMINI_API_KEY: '  ', GOOGLE_GENAI_USE_VERTEXAI: 'false', MODEL: 'gemini-2.5-pro' }, false],
	])('says whether %j configures a model: %s', (env, expected) => {
		expect(hasModelProvider(env)).toBe(expected);
	});
});
