// Over 250 lines on purpose: every setting's parsing and its one-line problem, in the order of the Config type;
// the parts with rules of their own (providers, scaling, durations) are apart.
import type { Scaling } from './parse-scaling.js';
import { parseScaling } from './parse-scaling.js';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import type { Environment } from './env-reader.js';
import { createEnvReader } from './env-reader.js';
import type { ChatEndpoint, GeminiProvider } from './parse-providers.js';
import { parseProviders } from './parse-providers.js';

export type { Environment };
export type { ChatEndpoint, GeminiProvider };

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = (typeof LOG_FORMATS)[number];

export type Config = {
	/** Bot token from the Discord Developer Portal (Bot → Reset Token). Secret. */
	readonly discordToken: string;
	/** REST base URL for discord.js (`rest.api`); the gateway URL is discovered through it. @default Discord's own */
	readonly discordApiBase: string | undefined;
	/** Register slash commands in this guild only (instant) instead of globally. @default undefined (global) */
	readonly discordGuildId: string | undefined;
	/**
	 * Gemini: the Gemini API (GEMINI_API_KEY, GEMINI_BASE_URL) or Vertex AI (GOOGLE_GENAI_USE_VERTEXAI,
	 * GOOGLE_CLOUD_PROJECT, GOOGLE_CLOUD_LOCATION or VERTEX_LOCATIONS). @default undefined (no Gemini)
	 */
	readonly gemini: GeminiProvider | undefined;
	/** OpenAI-compatible endpoints: `openai` (OPENAI_BASE_URL, OPENAI_API_KEY), then those OPENAI_COMPATIBLE names. */
	readonly endpoints: readonly ChatEndpoint[];
	/** MODEL (or GEMINI_MODEL): the model used when a channel has not chosen one. @default 'gemini-2.5-flash' */
	readonly defaultModel: string;
	/** MODELS (or GEMINI_MODELS): models moderators may pick with /model; always includes `defaultModel`. */
	readonly models: readonly string[];
	/**
	 * FALLBACK_MODELS (or GEMINI_FALLBACK_MODELS): models that take over, in order, when a call's model answers 429
	 * (per minute or per day) or is at its per-minute limit; they may be another provider's. @default [] (none)
	 */
	readonly fallbackModels: readonly string[];
	/** The setting names the owner used for the models (new or older names), for start-up problem lines. */
	readonly modelSettingNames: { readonly model: string; readonly models: string; readonly fallbackModels: string };
	/**
	 * MODEL_RPM (or GEMINI_RPM): calls started per minute, per model (and per Vertex location).
	 * @default 10 (free tier of Gemini 2.5 Flash)
	 */
	readonly requestsPerMinute: number;
	/** MODEL_TPM (or GEMINI_TPM): estimated prompt plus output tokens per minute, per model. @default undefined */
	readonly tokensPerMinute: number | undefined;
	/** USER_QUEUE_MAX (or GEMINI_USER_QUEUE_MAX): calls one member may have waiting. @default 3 */
	readonly userQueueMax: number;
	/** MODEL_CONCURRENCY (or GEMINI_CONCURRENCY): model streams open at the same time. @default 4 */
	readonly concurrency: number;
	/** MODEL_MAX_ATTEMPTS (or GEMINI_MAX_ATTEMPTS): attempts per reply for 429s, 5xx and network errors. @default 4 */
	readonly maxAttempts: number;
	/** MODEL_IDLE_TIMEOUT_MS (or GEMINI_IDLE_TIMEOUT_MS): abort a call after this long without a chunk. @default 60_000 */
	readonly idleTimeoutMs: number;
	/**
	 * Prompt tokens per reply (system instruction, summary and recent turns), estimated per thread from Gemini's own
	 * counts. Every reply pays for it in input tokens, so it is a small share of the model's window; a longer thread
	 * has its oldest turns folded into a summary. @default 32_000
	 */
	readonly contextTokenBudget: number;
	/** Whether replies end with a usage line (tokens, time, speed) where /settings does not say. @default false */
	readonly showUsage: boolean;
	/**
	 * Longest answer in tokens (Gemini's maxOutputTokens, thinking included) where /settings does not say: bounds how
	 * many Discord messages one reply can take (about 4 characters a token, 2,000 characters a message).
	 * @default 8_192
	 */
	readonly maxOutputTokens: number;
	/**
	 * At start-up, messages missed in bot threads active within this window (ms) are read and answered; 0 turns
	 * catch-up off. @default 86_400_000 (24 h)
	 */
	readonly catchUpWindowMs: number;
	/**
	 * Estimated input tokens (about 4 characters each) per /summarize model call. Longer transcripts are summarized
	 * in parts of this size whose notes are then combined; keep it under your tier's tokens-per-minute limit.
	 * @default 100_000
	 */
	readonly summaryChunkTokens: number;
	/** SQLite file; its directory is created. Not used when `databaseUrl` is set. @default './data/gemthread.db' */
	readonly databasePath: string;
	/** DATABASE_URL: `postgres://…` puts everything in PostgreSQL instead of the SQLite file. */
	readonly databaseUrl: string | undefined;
	/** DATABASE_POOL_SIZE: PostgreSQL connections at most. @default 10 */
	readonly databasePoolSize: number;
	/** Shards, processes and the Redis they share limits through (SHARD_COUNT, SHARD_IDS, CLUSTER_PROCESSES, REDIS_URL). */
	readonly scaling: Scaling;
	/** Largest file a member may post that the bot reads, in bytes; checked before and while downloading. @default 10 MiB */
	readonly attachmentMaxBytes: number;
	/**
	 * The only origins (scheme, host, port) attachments are downloaded from; redirects elsewhere are refused.
	 * @default ['https://cdn.discordapp.com', 'https://media.discordapp.net']
	 */
	readonly attachmentOrigins: readonly string[];
	/** Turns whose images, PDFs, audio and video still go to Gemini; older ones become "[image: name]". @default 6 */
	readonly contextMediaTurns: number;
	/** The model /imagine draws and edits pictures with. @default 'gemini-2.5-flash-image' */
	readonly geminiImageModel: string;
	/** Image-model calls started per minute (image models have their own, smaller quota). @default 10 */
	readonly geminiImageRequestsPerMinute: number;
	/** Minimum time between two edits of the streamed reply, in ms. @default 1_000 */
	readonly streamEditIntervalMs: number;
	/** @default 'info' */
	readonly logLevel: LogLevel;
	/** JSON lines, or human-readable lines (pino-pretty); `auto` is pretty when stdout is a terminal. @default 'auto' */
	readonly logFormat: LogFormat;
	/** Port serving `GET /healthz` on `healthHost`, for Docker and uptime monitors. @default undefined (off) */
	readonly healthPort: number | undefined;
	/**
	 * Address the health server listens on: an IP address or a host name. Loopback by default, so that only this
	 * machine can make the bot probe its database; `0.0.0.0` or `::` lets other hosts (or a published container port)
	 * reach it. @default '127.0.0.1'
	 */
	readonly healthHost: string;
	/** Tokens one member may use per server per day (midnight UTC), from the usage ledger. @default undefined (no limit) */
	readonly memberDailyTokens: number | undefined;
	/** Tokens a server may use per day (midnight UTC), all members together. @default undefined (no limit) */
	readonly guildDailyTokens: number | undefined;
	/** Days a turn (with its files) is kept; older ones are deleted by an hourly job. @default undefined (kept forever) */
	readonly retentionDays: number | undefined;
};

export class ConfigError extends Error {
	override readonly name = 'ConfigError';
	readonly problems: readonly string[];

	constructor(problems: readonly string[]) {
		super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
		this.problems = problems;
	}
}

/** Where Discord serves attachments: the CDN and its media proxy. */
const DISCORD_CDN_ORIGINS = ['https://cdn.discordapp.com', 'https://media.discordapp.net'];

const DISCORD_TOKEN_HELP =
	'is required: the bot token from https://discord.com/developers/applications → your application → Bot → Reset Token';

/** Reads and validates every setting at once; throws a ConfigError listing all problems. */
export function parseConfig(env: Environment): Config {
	const problems: string[] = [];
	const read = createEnvReader(env, problems);
	const { text, url, integer, optionalInteger, list, duration, flag } = read;

	const discordToken = text('DISCORD_TOKEN');
	if (discordToken === undefined) problems.push(`DISCORD_TOKEN ${DISCORD_TOKEN_HELP}`);
	const guildId = text('DISCORD_GUILD_ID');
	if (guildId !== undefined && !/^\d{17,20}$/.test(guildId)) {
		problems.push(`DISCORD_GUILD_ID must be a server id (17–20 digits), got "${guildId}"`);
	}
	// The neutral names are the documented ones; the older GEMINI_ names keep working.
	const modelSettingNames = {
		model: read.nameOf('MODEL', 'GEMINI_MODEL'),
		models: read.nameOf('MODELS', 'GEMINI_MODELS'),
		fallbackModels: read.nameOf('FALLBACK_MODELS', 'GEMINI_FALLBACK_MODELS'),
	};
	const defaultModel = text(modelSettingNames.model) ?? 'gemini-2.5-flash';
	const models = [...new Set([defaultModel, ...list(modelSettingNames.models)])];
	const fallbackModels = [...new Set(list(modelSettingNames.fallbackModels))];
	const providers = parseProviders(read, [
		...models.map((name) => ({
			setting: name === defaultModel ? modelSettingNames.model : modelSettingNames.models,
			name,
		})),
		...fallbackModels.map((name) => ({ setting: modelSettingNames.fallbackModels, name })),
	]);
	const origins = (name: string, fallback: readonly string[]): string[] => {
		const given = list(name);
		const wanted = given.length > 0 ? given : fallback;
		return wanted.flatMap((origin) => {
			const parsed = URL.canParse(origin) ? new URL(origin) : undefined;
			if (parsed?.origin !== origin.replace(/\/$/, '') || !/^https?:$/.test(parsed.protocol)) {
				problems.push(`${name} must list origins such as https://cdn.discordapp.com (no path), got "${origin}"`);
				return [];
			}
			return [parsed.origin];
		});
	};
	const named = (name: string, older: string) => read.nameOf(name, older);
	const logLevel = text('LOG_LEVEL') ?? 'info';
	if (!isLogLevel(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
	const logFormat = text('LOG_FORMAT')?.toLowerCase() ?? 'auto';
	if (!isLogFormat(logFormat)) problems.push(`LOG_FORMAT must be one of ${LOG_FORMATS.join(', ')}, got "${logFormat}"`);
	const databaseUrl = postgresUrl(text('DATABASE_URL'), problems);
	const healthHost = text('HEALTH_HOST') ?? '127.0.0.1';
	if (!isListenAddress(healthHost)) {
		problems.push(`HEALTH_HOST must be an IP address (127.0.0.1, 0.0.0.0, ::) or a host name, got "${healthHost}"`);
	}

	const config: Config = {
		discordToken: discordToken ?? '',
		discordApiBase: url('DISCORD_API_BASE'),
		discordGuildId: guildId,
		gemini: providers.gemini,
		endpoints: providers.endpoints,
		defaultModel,
		models,
		fallbackModels,
		modelSettingNames,
		requestsPerMinute: integer(named('MODEL_RPM', 'GEMINI_RPM'), 10, 1, 100_000),
		tokensPerMinute: optionalInteger(named('MODEL_TPM', 'GEMINI_TPM'), 1_000, 100_000_000),
		userQueueMax: integer(named('USER_QUEUE_MAX', 'GEMINI_USER_QUEUE_MAX'), 3, 1, 1_000),
		concurrency: integer(named('MODEL_CONCURRENCY', 'GEMINI_CONCURRENCY'), 4, 1, 1_000),
		maxAttempts: integer(named('MODEL_MAX_ATTEMPTS', 'GEMINI_MAX_ATTEMPTS'), 4, 1, 10),
		idleTimeoutMs: integer(named('MODEL_IDLE_TIMEOUT_MS', 'GEMINI_IDLE_TIMEOUT_MS'), 60_000, 100, 600_000),
		contextTokenBudget: integer('CONTEXT_TOKEN_BUDGET', 32_000, 1_000, 2_000_000),
		showUsage: flag('SHOW_USAGE', false),
		maxOutputTokens: integer('MAX_OUTPUT_TOKENS', 8_192, 1, 65_536),
		catchUpWindowMs: duration('CATCH_UP_WINDOW', 24 * 60 * 60 * 1_000),
		summaryChunkTokens: integer('SUMMARY_CHUNK_TOKENS', 100_000, 100, 1_000_000),
		databasePath: databasePath(text('DATABASE_PATH') ?? './data/gemthread.db'),
		databaseUrl,
		scaling: parseScaling(read, databaseUrl),
		databasePoolSize: integer('DATABASE_POOL_SIZE', 10, 1, 1_000),
		attachmentMaxBytes: integer('ATTACHMENT_MAX_BYTES', 10 * 1_024 * 1_024, 1_024, 20 * 1_024 * 1_024),
		attachmentOrigins: origins('ATTACHMENT_ORIGINS', DISCORD_CDN_ORIGINS),
		contextMediaTurns: integer('CONTEXT_MEDIA_TURNS', 6, 0, 1_000),
		geminiImageModel: text('GEMINI_IMAGE_MODEL') ?? 'gemini-2.5-flash-image',
		geminiImageRequestsPerMinute: integer('GEMINI_IMAGE_RPM', 10, 1, 100_000),
		streamEditIntervalMs: integer('STREAM_EDIT_INTERVAL_MS', 1_000, 100, 60_000),
		logLevel: isLogLevel(logLevel) ? logLevel : 'info',
		logFormat: isLogFormat(logFormat) ? logFormat : 'auto',
		healthPort: optionalInteger('HEALTH_PORT', 1, 65_535),
		healthHost,
		memberDailyTokens: optionalInteger('MEMBER_DAILY_TOKENS', 1, 1_000_000_000_000),
		guildDailyTokens: optionalInteger('GUILD_DAILY_TOKENS', 1, 1_000_000_000_000),
		retentionDays: optionalInteger('RETENTION_DAYS', 1, 36_500),
	};
	if (problems.length > 0) throw new ConfigError(problems);
	return Object.freeze(config);
}

function databasePath(value: string): string {
	return value === ':memory:' ? value : resolve(value);
}

/** DATABASE_URL, checked for its form only (whether the server answers is checked at start); never echoed back. */
function postgresUrl(value: string | undefined, problems: string[]): string | undefined {
	if (value === undefined) return undefined;
	let parsed: URL | undefined;
	try {
		parsed = new URL(value);
	} catch {
		parsed = undefined;
	}
	if (parsed?.protocol !== 'postgres:' && parsed?.protocol !== 'postgresql:') {
		problems.push(
			'DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/database (or unset it to use the SQLite file at DATABASE_PATH)',
		);
		return undefined;
	}
	return value;
}

function isLogLevel(value: string): value is LogLevel {
	return (LOG_LEVELS as readonly string[]).includes(value);
}

function isLogFormat(value: string): value is LogFormat {
	return (LOG_FORMATS as readonly string[]).includes(value);
}

// RFC 1123 labels; a numeric last label is refused, so that `8080` or `127.0.0.1.5` is not taken for a host name.
const HOST_NAME =
	/^(?=.{1,253}$)(?!(?:.*\.)?\d+$)[a-z\d](?:[a-z\d-]{0,61}[a-z\d])?(?:\.[a-z\d](?:[a-z\d-]{0,61}[a-z\d])?)*$/i;

function isListenAddress(value: string): boolean {
	return isIP(value) !== 0 || HOST_NAME.test(value);
}
