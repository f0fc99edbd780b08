import { config as loadDotenv } from 'dotenv';
import { ConfigError, parseConfig } from './config/config.js';
import { describeStartupError } from './startup/describe-startup-error.js';
import type { Bot } from './index.js';
import { startBot } from './index.js';
import { createProcessLogger } from './log/logger.js';

loadDotenv({ quiet: true });

let config;
try {
	config = parseConfig(process.env);
} catch (error) {
	if (!(error instanceof ConfigError)) throw error;
	process.stderr.write(
		`gemthread cannot start.\n${error.message}\nSet these in .env (see .env.example) or in the environment.\n`,
	);
	process.exit(1);
}

let logger;
try {
	logger = await createProcessLogger(config);
} catch (error) {
	process.stderr.write(`gemthread cannot start: ${describeStartupError(error)}\n`);
	process.exit(1);
}
process.on('unhandledRejection', (reason) => {
	logger.error({ err: reason }, 'unhandled promise rejection');
});
process.on('uncaughtException', (error) => {
	logger.fatal({ err: error }, 'uncaught exception');
	process.exit(1);
});

let bot: Bot | undefined;
let stopping = false;
// Installed before start-up so that a Ctrl+C during login still exits cleanly.
const stop = (signal: NodeJS.Signals): void => {
	if (stopping) return;
	stopping = true;
	logger.info({ signal }, 'shutting down');
	(bot?.stop() ?? Promise.resolve()).then(
		() => process.exit(0),
		(error: unknown) => {
			logger.error({ err: error }, 'shutdown failed');
			process.exit(1);
		},
	);
};
// `on`, not `once`: under `npm start` a Ctrl+C (or systemd's stop) reaches node twice, directly and forwarded by npm,
// and a second signal with no listener left would kill the process halfway through its shutdown.
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

try {
	bot = await startBot(config, logger);
} catch (error) {
	const reason = describeStartupError(error);
	// The one line says what to fix; the stack is for LOG_LEVEL=debug only.
	logger.fatal({ reason }, 'startup failed');
	logger.debug({ err: error }, 'startup failure details');
	process.stderr.write(`gemthread cannot start: ${reason}\n`);
	process.exit(1);
}
