import { pino } from 'pino';
import type { LogLevel } from './config.js';

export type Logger = pino.Logger;

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

export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
	return pino({ level, redact: { paths: SECRET_PATHS, censor: '[redacted]' } }, destination);
}
