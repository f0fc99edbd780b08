import { resolve } from 'node:path';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];

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
	/** Model calls started per minute, across the whole bot. @default 10 (the free tier of gemini-2.5-flash) */
	readonly geminiRequestsPerMinute: number;
	/** Model streams open at the same time. @default 4 */
	readonly geminiConcurrency: number;
	/** Attempts per reply, counting the first, for 429s, 5xx and network errors. @default 4 */
	readonly geminiMaxAttempts: number;
	/** Abort a model call when no chunk arrived for this long, in ms. @default 60_000 */
	readonly geminiIdleTimeoutMs: number;
	/** Estimated-token budget for the history sent with each call; older turns are left out. @default 200_000 */
	readonly contextTokenBudget: number;
	/**
	 * Estimated input tokens (about 4 characters each) per /summarize model call. Longer transcripts are summarized
	 * in parts of this size whose notes are then combined; keep it under your tier's tokens-per-minute limit.
	 * @default 100_000
	 */
	readonly summaryChunkTokens: number;
	/** SQLite file; its directory is created. @default './data/gemthread.db' */
	readonly databasePath: string;
	/** Minimum time between two edits of the streamed reply, in ms. @default 1_000 */
	readonly streamEditIntervalMs: number;
	/** @default 'info' */
	readonly logLevel: LogLevel;
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
	const extraModels = (text('GEMINI_MODELS') ?? '')
		.split(',')
		.map((model) => model.trim())
		.filter((model) => model !== '');
	const logLevel = text('LOG_LEVEL') ?? 'info';
	if (!isLogLevel(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);

	const config: Config = {
		discordToken,
		discordApiBase: url('DISCORD_API_BASE'),
		discordGuildId: guildId,
		geminiApiKey,
		geminiBaseUrl: url('GEMINI_BASE_URL'),
		geminiModel,
		geminiModels: [...new Set([geminiModel, ...extraModels])],
		geminiRequestsPerMinute: integer('GEMINI_RPM', 10, 1, 100_000),
		geminiConcurrency: integer('GEMINI_CONCURRENCY', 4, 1, 1_000),
		geminiMaxAttempts: integer('GEMINI_MAX_ATTEMPTS', 4, 1, 10),
		geminiIdleTimeoutMs: integer('GEMINI_IDLE_TIMEOUT_MS', 60_000, 100, 600_000),
		contextTokenBudget: integer('CONTEXT_TOKEN_BUDGET', 200_000, 1_000, 2_000_000),
		summaryChunkTokens: integer('SUMMARY_CHUNK_TOKENS', 100_000, 100, 1_000_000),
		databasePath: databasePath(text('DATABASE_PATH') ?? './data/gemthread.db'),
		streamEditIntervalMs: integer('STREAM_EDIT_INTERVAL_MS', 1_000, 100, 60_000),
		logLevel: isLogLevel(logLevel) ? logLevel : 'info',
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
