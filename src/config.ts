import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { parseDuration } from './parse-duration.js';

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
	/** Gemini API key from Google AI Studio. Secret. */
	readonly geminiApiKey: string;
	/** SDK `httpOptions.baseUrl`. @default the SDK's (https://generativelanguage.googleapis.com) */
	readonly geminiBaseUrl: string | undefined;
	/** Model used when a channel has not chosen one. @default 'gemini-2.5-flash' */
	readonly geminiModel: string;
	/** Models moderators may pick with /model; always includes `geminiModel`. @default [geminiModel] */
	readonly geminiModels: readonly string[];
	/**
	 * Models that take over, in order, when a call's model answers 429 (per minute or per day) or is at its
	 * per-minute limit. @default [] (none)
	 */
	readonly geminiFallbackModels: readonly string[];
	/** Model calls started per minute, per model (Gemini's limits are per model). @default 10 (free tier of 2.5 Flash) */
	readonly geminiRequestsPerMinute: number;
	/** Estimated prompt tokens plus observed output tokens per minute, per model. @default undefined (no limit) */
	readonly geminiTokensPerMinute: number | undefined;
	/** Calls one member may have waiting; beyond it they are asked to wait for the earlier answers. @default 3 */
	readonly geminiUserQueueMax: number;
	/** Model streams open at the same time. @default 4 */
	readonly geminiConcurrency: number;
	/** Attempts per reply, counting the first, for 429s, 5xx and network errors. @default 4 */
	readonly geminiMaxAttempts: number;
	/** Abort a model call when no chunk arrived for this long, in ms. @default 60_000 */
	readonly geminiIdleTimeoutMs: number;
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
	/** SQLite file; its directory is created. @default './data/gemthread.db' */
	readonly databasePath: string;
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

export type Environment = Readonly<Record<string, string | undefined>>;

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

const REQUIRED_HELP = {
	DISCORD_TOKEN:
		'is required: the bot token from https://discord.com/developers/applications → your application → Bot → Reset Token',
	GEMINI_API_KEY: 'is required: an API key from https://aistudio.google.com/apikey',
} as const;

/** Reads and validates every setting at once; throws a ConfigError listing all problems. */
export function parseConfig(env: Environment): Config {
	const problems: string[] = [];
	const text = (name: string): string | undefined => {
		const value = env[name]?.trim();
		return value === undefined || value === '' ? undefined : value;
	};
	const required = (name: keyof typeof REQUIRED_HELP): string => {
		const value = text(name);
		if (value === undefined) problems.push(`${name} ${REQUIRED_HELP[name]}`);
		return value ?? '';
	};
	const url = (name: string): string | undefined => {
		const value = text(name);
		if (value !== undefined && !/^https?:\/\/[^\s/]+/.test(value)) {
			problems.push(`${name} must be an http(s) URL, got "${value}"`);
		}
		return value;
	};
	const integer = (name: string, fallback: number, min: number, max: number): number => {
		const value = text(name);
		if (value === undefined) return fallback;
		const parsed = Number(value.replaceAll('_', ''));
		if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
			problems.push(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
			return fallback;
		}
		return parsed;
	};

	const discordToken = required('DISCORD_TOKEN');
	const geminiApiKey = required('GEMINI_API_KEY');
	const guildId = text('DISCORD_GUILD_ID');
	if (guildId !== undefined && !/^\d{17,20}$/.test(guildId)) {
		problems.push(`DISCORD_GUILD_ID must be a server id (17–20 digits), got "${guildId}"`);
	}
	const geminiModel = text('GEMINI_MODEL') ?? 'gemini-2.5-flash';
	const list = (name: string): string[] =>
		(text(name) ?? '')
			.split(',')
			.map((model) => model.trim())
			.filter((model) => model !== '');
	const extraModels = list('GEMINI_MODELS');
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
	const optionalInteger = (name: string, min: number, max: number): number | undefined =>
		text(name) === undefined ? undefined : integer(name, min, min, max);
	const duration = (name: string, fallback: number): number => {
		const value = text(name);
		if (value === undefined) return fallback;
		if (value === '0') return 0;
		const parsed = parseDuration(value);
		if (parsed === undefined)
			problems.push(`${name} must be a duration such as 30m, 24h or 3d (or 0 for off), got "${value}"`);
		return parsed ?? fallback;
	};
	const flag = (name: string, fallback: boolean): boolean => {
		const value = text(name)?.toLowerCase();
		if (value === undefined) return fallback;
		if (['true', 'yes', 'on', '1'].includes(value)) return true;
		if (['false', 'no', 'off', '0'].includes(value)) return false;
		problems.push(`${name} must be true or false, got "${value}"`);
		return fallback;
	};
	const logLevel = text('LOG_LEVEL') ?? 'info';
	if (!isLogLevel(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
	const logFormat = text('LOG_FORMAT')?.toLowerCase() ?? 'auto';
	if (!isLogFormat(logFormat)) problems.push(`LOG_FORMAT must be one of ${LOG_FORMATS.join(', ')}, got "${logFormat}"`);
	const healthHost = text('HEALTH_HOST') ?? '127.0.0.1';
	if (!isListenAddress(healthHost)) {
		problems.push(`HEALTH_HOST must be an IP address (127.0.0.1, 0.0.0.0, ::) or a host name, got "${healthHost}"`);
	}

	const config: Config = {
		discordToken,
		discordApiBase: url('DISCORD_API_BASE'),
		discordGuildId: guildId,
		geminiApiKey,
		geminiBaseUrl: url('GEMINI_BASE_URL'),
		geminiModel,
		geminiModels: [...new Set([geminiModel, ...extraModels])],
		geminiFallbackModels: [...new Set(list('GEMINI_FALLBACK_MODELS'))],
		geminiRequestsPerMinute: integer('GEMINI_RPM', 10, 1, 100_000),
		geminiTokensPerMinute: optionalInteger('GEMINI_TPM', 1_000, 100_000_000),
		geminiUserQueueMax: integer('GEMINI_USER_QUEUE_MAX', 3, 1, 1_000),
		geminiConcurrency: integer('GEMINI_CONCURRENCY', 4, 1, 1_000),
		geminiMaxAttempts: integer('GEMINI_MAX_ATTEMPTS', 4, 1, 10),
		geminiIdleTimeoutMs: integer('GEMINI_IDLE_TIMEOUT_MS', 60_000, 100, 600_000),
		contextTokenBudget: integer('CONTEXT_TOKEN_BUDGET', 32_000, 1_000, 2_000_000),
		showUsage: flag('SHOW_USAGE', false),
		maxOutputTokens: integer('MAX_OUTPUT_TOKENS', 8_192, 1, 65_536),
		catchUpWindowMs: duration('CATCH_UP_WINDOW', 24 * 60 * 60 * 1_000),
		summaryChunkTokens: integer('SUMMARY_CHUNK_TOKENS', 100_000, 100, 1_000_000),
		databasePath: databasePath(text('DATABASE_PATH') ?? './data/gemthread.db'),
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
