import { isatty } from 'node:tty';
import { pino } from 'pino';
import type { PrettyOptions } from 'pino-pretty';
import type { Config, LogFormat, LogLevel } from '../config/config.js';
import { serializeError } from './serialize-error.js';

export type Logger = pino.Logger;

const STDOUT_FD = 1;

// Belt and braces: nothing should log these, but if an object carrying them is logged they are masked.
const SECRET_PATHS = [
	'token',
	'apiKey',
	'discordToken',
	'geminiApiKey',
	'*.token',
	'*.apiKey',
	'*.discordToken',
	'*.geminiApiKey',
	'headers.authorization',
	'headers["x-goog-api-key"]',
	'*.headers.authorization',
	'*.headers["x-goog-api-key"]',
];

/** JSON lines to `destination` (stdout by default); tests pass a stream to read them. */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
	return pino(loggerOptions(level), destination);
}

/** pino-pretty's default export: options in, a stream that turns JSON lines into readable ones out. */
export type PrettyStreamFactory = (options: PrettyOptions) => pino.DestinationStream;

export type ProcessLoggerOptions = {
	/** Whether stdout is a terminal. @default isatty(1) */
	readonly isTTY?: boolean;
	/** @default () => import('pino-pretty') */
	readonly loadPretty?: () => Promise<PrettyStreamFactory>;
	/** Where log lines go (tests). @default stdout */
	readonly destination?: NodeJS.WritableStream;
};

/**
 * The process's logger, per LOG_FORMAT: JSON lines, or pino-pretty's readable lines (by default when stdout is a
 * terminal). pino-pretty is a dev dependency, so a production install may lack it: `auto` then stays on JSON, while
 * an explicit `pretty` fails with one line saying what to do.
 */
export async function createProcessLogger(
	config: Pick<Config, 'logLevel' | 'logFormat'>,
	options: ProcessLoggerOptions = {},
): Promise<Logger> {
	const isTTY = options.isTTY ?? isatty(STDOUT_FD);
	const json = (): Logger => createLogger(config.logLevel, options.destination);
	if (chooseLogFormat(config.logFormat, isTTY) === 'json') return json();
	let pretty: PrettyStreamFactory;
	try {
		pretty = await (options.loadPretty ?? loadPinoPretty)();
	} catch (error) {
		if (config.logFormat === 'auto') return json();
		throw new Error(
			'LOG_FORMAT=pretty needs the pino-pretty package, a dev dependency this install left out: run `npm install` (with dev dependencies), or set LOG_FORMAT=json.',
			{ cause: error },
		);
	}
	// pino-pretty as a stream in this thread, not a worker-thread transport: with `sync: true` each line is written
	// before the log call returns, so the last lines before process.exit() (shutdown, a start-up failure) are kept.
	const stream = pretty({
		colorize: isTTY,
		translateTime: 'SYS:HH:MM:ss',
		ignore: 'pid,hostname',
		sync: true,
		...(options.destination === undefined ? {} : { destination: options.destination }),
	});
	return pino(loggerOptions(config.logLevel), stream);
}

/** `auto` is pretty in a terminal and JSON everywhere else (Docker, systemd's journal, a file). */
export function chooseLogFormat(format: LogFormat, isTTY: boolean): 'json' | 'pretty' {
	if (format !== 'auto') return format;
	return isTTY ? 'pretty' : 'json';
}

async function loadPinoPretty(): Promise<PrettyStreamFactory> {
	const module = await import('pino-pretty');
	return module.default;
}

function loggerOptions(level: LogLevel): pino.LoggerOptions {
	return {
		level,
		redact: { paths: SECRET_PATHS, censor: '[redacted]' },
		// pino's own `err` serializer copies every property, and discord.js REST errors carry the request body (the
		// text and files the bot tried to post) and a URL holding the interaction token. pino-pretty shows `error` as
		// an error too, so it gets the same treatment.
		serializers: { err: serializeError, error: serializeError },
	};
}
