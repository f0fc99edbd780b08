import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/config.js';

const minimal = { DISCORD_TOKEN: 'discord-secret', GEMINI_API_KEY: 'gemini-secret' };

function problemsOf(env: Record<string, string>): readonly string[] {
	try {
		parseConfig(env);
	} catch (error) {
		if (error instanceof ConfigError) return error.problems;
		throw error;
	}
	throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
	it('applies the documented defaults when only the secrets are set', () => {
		const config = parseConfig(minimal);
		expect(config).toMatchObject({
			discordToken: 'discord-secret',
			gemini: { kind: 'developer', apiKey: 'gemini-secret', baseUrl: undefined },
			endpoints: [{ name: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: undefined }],
			discordApiBase: undefined,
			defaultModel: 'gemini-2.5-flash',
			models: ['gemini-2.5-flash'],
			fallbackModels: [],
			requestsPerMinute: 10,
			tokensPerMinute: undefined,
			userQueueMax: 3,
			concurrency: 4,
			contextTokenBudget: 32_000,
			catchUpWindowMs: 86_400_000,
			attachmentMaxBytes: 10 * 1_048_576,
			attachmentOrigins: ['https://cdn.discordapp.com', 'https://media.discordapp.net'],
			contextMediaTurns: 6,
			geminiImageModel: 'gemini-2.5-flash-image',
			geminiImageRequestsPerMinute: 10,
			summaryChunkTokens: 100_000,
			streamEditIntervalMs: 1_000,
			logLevel: 'info',
			healthHost: '127.0.0.1',
		});
		expect(config.databasePath).toMatch(/data[\\/]gemthread\.db$/);
		expect(Object.isFrozen(config)).toBe(true);
	});

	it('reads every variable it documents', () => {
		const config = parseConfig({
			...minimal,
			DISCORD_API_BASE: 'http://127.0.0.1:5000/api',
			DISCORD_GUILD_ID: '111111111111111111',
			GEMINI_BASE_URL: 'http://127.0.0.1:6000',
			MODEL: 'gemini-2.5-pro',
			MODELS: 'gemini-2.5-flash, gemini-2.5-pro',
			FALLBACK_MODELS: 'gemini-2.5-flash-lite, gemini-2.0-flash',
			MODEL_RPM: '1_000',
			MODEL_TPM: '250_000',
			USER_QUEUE_MAX: '5',
			MODEL_CONCURRENCY: '8',
			MODEL_MAX_ATTEMPTS: '2',
			MODEL_IDLE_TIMEOUT_MS: '5000',
			CONTEXT_TOKEN_BUDGET: '50000',
			CATCH_UP_WINDOW: '2h',
			SUMMARY_CHUNK_TOKENS: '8_000',
			DATABASE_PATH: ':memory:',
			STREAM_EDIT_INTERVAL_MS: '1500',
			LOG_LEVEL: 'debug',
		});
		expect(config).toMatchObject({
			discordApiBase: 'http://127.0.0.1:5000/api',
			discordGuildId: '111111111111111111',
			gemini: { kind: 'developer', apiKey: 'gemini-secret', baseUrl: 'http://127.0.0.1:6000' },
			defaultModel: 'gemini-2.5-pro',
			models: ['gemini-2.5-pro', 'gemini-2.5-flash'],
			fallbackModels: ['gemini-2.5-flash-lite', 'gemini-2.0-flash'],
			modelSettingNames: { model: 'MODEL', models: 'MODELS', fallbackModels: 'FALLBACK_MODELS' },
			requestsPerMinute: 1_000,
			tokensPerMinute: 250_000,
			userQueueMax: 5,
			concurrency: 8,
			maxAttempts: 2,
			idleTimeoutMs: 5_000,
			contextTokenBudget: 50_000,
			catchUpWindowMs: 7_200_000,
			summaryChunkTokens: 8_000,
			databasePath: ':memory:',
			streamEditIntervalMs: 1_500,
			logLevel: 'debug',
		});
	});

	it('reports every problem at once, naming the variable and where to get it', () => {
		const problems = problemsOf({ GEMINI_RPM: 'fast', GEMINI_BASE_URL: 'localhost:6000', LOG_LEVEL: 'loud' });
		expect(problems).toHaveLength(5);
		expect(problems[0]).toMatch(/^DISCORD_TOKEN is required: .*discord\.com\/developers\/applications/);
		expect(problems.join('\n')).toMatch(/GEMINI_API_KEY is required for Gemini models: .*aistudio\.google\.com/);
		expect(problems.join('\n')).toContain('LOG_LEVEL must be one of');
		expect(problems.join('\n')).toContain('GEMINI_BASE_URL must be an http(s) URL, got "localhost:6000"');
		expect(problems.join('\n')).toContain('GEMINI_RPM must be a whole number from 1 to 100000, got "fast"');
	});

	it('treats blank values as unset', () => {
		expect(problemsOf({ DISCORD_TOKEN: '  ', GEMINI_API_KEY: '' })).toHaveLength(2);
		expect(parseConfig({ ...minimal, MODEL: ' ' }).defaultModel).toBe('gemini-2.5-flash');
	});

	it('rejects out-of-range numbers and malformed guild ids', () => {
		const problems = problemsOf({
			...minimal,
			GEMINI_CONCURRENCY: '0',
			STREAM_EDIT_INTERVAL_MS: '10',
			SUMMARY_CHUNK_TOKENS: '50',
			DISCORD_GUILD_ID: 'abc',
		});
		expect(problems).toEqual([
			'DISCORD_GUILD_ID must be a server id (17–20 digits), got "abc"',
			'GEMINI_CONCURRENCY must be a whole number from 1 to 1000, got "0"',
			'SUMMARY_CHUNK_TOKENS must be a whole number from 100 to 1000000, got "50"',
			'STREAM_EDIT_INTERVAL_MS must be a whole number from 100 to 60000, got "10"',
		]);
	});

	it('reads the file settings and refuses an origin with a path', () => {
		const config = parseConfig({
			...minimal,
			ATTACHMENT_MAX_BYTES: '1_048_576',
			ATTACHMENT_ORIGINS: 'https://cdn.example.com, http://127.0.0.1:4000',
			CONTEXT_MEDIA_TURNS: '2',
			GEMINI_IMAGE_MODEL: 'imagen-like',
			GEMINI_IMAGE_RPM: '3',
		});
		expect(config).toMatchObject({
			attachmentMaxBytes: 1_048_576,
			attachmentOrigins: ['https://cdn.example.com', 'http://127.0.0.1:4000'],
			contextMediaTurns: 2,
			geminiImageModel: 'imagen-like',
			geminiImageRequestsPerMinute: 3,
		});
		expect(problemsOf({ ...minimal, ATTACHMENT_ORIGINS: 'https://cdn.discordapp.com/attachments' })).toEqual([
			'ATTACHMENT_ORIGINS must list origins such as https://cdn.discordapp.com (no path), got "https://cdn.discordapp.com/attachments"',
		]);
	});

	it('turns catch-up off with CATCH_UP_WINDOW=0 and refuses a window that is not a duration', () => {
		expect(parseConfig({ ...minimal, CATCH_UP_WINDOW: '0' }).catchUpWindowMs).toBe(0);
		expect(problemsOf({ ...minimal, CATCH_UP_WINDOW: '24', GEMINI_TPM: '10' })).toEqual([
			'GEMINI_TPM must be a whole number from 1000 to 100000000, got "10"',
			'CATCH_UP_WINDOW must be a duration such as 30m, 24h or 3d (or 0 for off), got "24"',
		]);
	});

	it('leaves the health check off unless HEALTH_PORT names a port from 1 to 65535', () => {
		expect(parseConfig(minimal).healthPort).toBeUndefined();
		expect(parseConfig({ ...minimal, HEALTH_PORT: ' ' }).healthPort).toBeUndefined();
		expect(parseConfig({ ...minimal, HEALTH_PORT: '8080' }).healthPort).toBe(8_080);
		expect(parseConfig({ ...minimal, HEALTH_PORT: '65535' }).healthPort).toBe(65_535);
		for (const port of ['0', '65536', '80.5', 'http', '-1']) {
			expect(problemsOf({ ...minimal, HEALTH_PORT: port })).toEqual([
				`HEALTH_PORT must be a whole number from 1 to 65535, got "${port}"`,
			]);
		}
	});

	it('listens for the health check on 127.0.0.1 unless HEALTH_HOST names an address or a host name', () => {
		expect(parseConfig(minimal).healthHost).toBe('127.0.0.1');
		expect(parseConfig({ ...minimal, HEALTH_HOST: ' ' }).healthHost).toBe('127.0.0.1');
		for (const host of ['0.0.0.0', '::', '::1', '10.1.2.3', 'fd00::2', 'localhost', 'bot-1.internal', 'HOST']) {
			expect(parseConfig({ ...minimal, HEALTH_HOST: host }).healthHost).toBe(host);
		}
		expect(parseConfig({ ...minimal, HEALTH_HOST: ' 0.0.0.0 ' }).healthHost).toBe('0.0.0.0');
		const junk = ['8080', '127.0.0.1:8080', '[::1]', 'http://localhost', '999.1.1.1', '-host', 'a b', 'host.', '*'];
		for (const host of junk) {
			expect(problemsOf({ ...minimal, HEALTH_HOST: host })).toEqual([
				`HEALTH_HOST must be an IP address (127.0.0.1, 0.0.0.0, ::) or a host name, got "${host}"`,
			]);
		}
	});

	it('reads LOG_FORMAT as auto, json or pretty, auto by default', () => {
		expect(parseConfig(minimal).logFormat).toBe('auto');
		expect(parseConfig({ ...minimal, LOG_FORMAT: 'json' }).logFormat).toBe('json');
		expect(parseConfig({ ...minimal, LOG_FORMAT: 'Pretty' }).logFormat).toBe('pretty');
		expect(problemsOf({ ...minimal, LOG_FORMAT: 'text' })).toEqual([
			'LOG_FORMAT must be one of auto, json, pretty, got "text"',
		]);
	});

	it('never echoes a secret in its error', () => {
		const problems = problemsOf({ ...minimal, GEMINI_RPM: 'x' }).join('\n');
		expect(problems).not.toContain('discord-secret');
		expect(problems).not.toContain('gemini-secret');
	});
});

describe('parseConfig: model providers', () => {
	const discord = { DISCORD_TOKEN: 'discord-secret' };

	it('keeps the older GEMINI_ names working, the neutral name winning when both are set', () => {
		const config = parseConfig({ ...minimal, GEMINI_MODEL: 'gemini-2.5-pro', GEMINI_RPM: '7', MODEL_RPM: '9' });
		expect(config).toMatchObject({ defaultModel: 'gemini-2.5-pro', requestsPerMinute: 9 });
		expect(config.modelSettingNames.model).toBe('GEMINI_MODEL');
	});

	it('starts with only an OpenAI-compatible endpoint: no Gemini key, no Gemini', () => {
		const config = parseConfig({ ...discord, MODEL: 'openai/gpt-4o-mini', OPENAI_API_KEY: 'sk-test' });
		expect(config.gemini).toBeUndefined();
		expect(config.endpoints).toEqual([{ name: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-test' }]);
		// A local server needs no key.
		const local = parseConfig({ ...discord, MODEL: 'openai/llama3.2', OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' });
		expect(local.endpoints[0]).toEqual({ name: 'openai', baseUrl: 'http://127.0.0.1:11434/v1', apiKey: undefined });
	});

	it("asks for OPENAI_API_KEY only for OpenAI's own API, and for GEMINI_API_KEY only when a Gemini model is used", () => {
		expect(problemsOf({ ...discord, MODEL: 'openai/gpt-4o-mini' })).toEqual([
			"OPENAI_API_KEY is required for OpenAI's API (https://platform.openai.com/api-keys); for a local server set OPENAI_BASE_URL to it instead",
		]);
		expect(
			problemsOf({ ...discord, MODEL: 'openai/gpt-4o-mini', OPENAI_API_KEY: 'k', FALLBACK_MODELS: 'gemini-2.5-flash' }),
		).toEqual([expect.stringMatching(/^GEMINI_API_KEY is required for Gemini models/) as string]);
	});

	it('names more endpoints in OPENAI_COMPATIBLE, each with its own URL and key, and refuses an unknown prefix', () => {
		const config = parseConfig({
			...minimal,
			OPENAI_COMPATIBLE: 'ollama, open-router',
			OLLAMA_BASE_URL: 'http://127.0.0.1:11434/v1',
			OPEN_ROUTER_BASE_URL: 'https://openrouter.ai/api/v1',
			OPEN_ROUTER_API_KEY: 'or-key',
			MODELS: 'ollama/llama3.2, open-router/anthropic/claude-3.5-haiku',
		});
		expect(config.endpoints.map((endpoint) => [endpoint.name, endpoint.apiKey])).toEqual([
			['openai', undefined],
			['ollama', undefined],
			['open-router', 'or-key'],
		]);
		expect(problemsOf({ ...minimal, OPENAI_COMPATIBLE: 'ollama', FALLBACK_MODELS: 'lmstudio/qwen' })).toEqual([
			'OLLAMA_BASE_URL is required because OPENAI_COMPATIBLE names ollama: its chat-completions URL, such as http://localhost:11434/v1 for Ollama',
			'FALLBACK_MODELS "lmstudio/qwen" names the endpoint "lmstudio", which is not configured: add lmstudio to OPENAI_COMPATIBLE and set LMSTUDIO_BASE_URL',
		]);
	});

	it('runs Gemini on Vertex AI over the listed locations, with no API key', () => {
		const config = parseConfig({
			...discord,
			GOOGLE_GENAI_USE_VERTEXAI: 'true',
			GOOGLE_CLOUD_PROJECT: 'my-project',
			VERTEX_LOCATIONS: 'global, us-central1, europe-west4',
		});
		expect(config.gemini).toEqual({
			kind: 'vertex',
			project: 'my-project',
			locations: ['global', 'us-central1', 'europe-west4'],
			baseUrl: undefined,
		});
		const single = parseConfig({
			...discord,
			GOOGLE_GENAI_USE_VERTEXAI: 'true',
			GOOGLE_CLOUD_PROJECT: 'p',
			GOOGLE_CLOUD_LOCATION: 'us-east5',
		});
		expect(single.gemini).toMatchObject({ locations: ['us-east5'] });
		expect(problemsOf({ ...discord, GOOGLE_GENAI_USE_VERTEXAI: 'true', VERTEX_LOCATIONS: 'Mars 1' })).toEqual([
			'GOOGLE_CLOUD_PROJECT is required with GOOGLE_GENAI_USE_VERTEXAI=true: the Google Cloud project id',
			'VERTEX_LOCATIONS must list locations such as global or us-central1, got "Mars 1"',
		]);
	});
});
