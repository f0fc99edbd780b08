import { config as loadDotenv } from 'dotenv';
import { ConfigError, parseConfig } from './config.js';
import { describeStartupError } from './describe-startup-error.js';
import { startBot } from './index.js';
import { createLogger } from './logger.js';

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

const logger = createLogger(config.logLevel);
process.on('unhandledRejection', (reason) => {
	logger.error({ err: reason }, 'unhandled promise rejection');
});
process.on('uncaughtException', (error) => {
	logger.fatal({ err: error }, 'uncaught exception');
	process.exit(1);
});

try {
	const bot = await startBot(config, logger);
	let stopping = false;
	const stop = (signal: NodeJS.Signals): void => {
		if (stopping) return;
		stopping = true;
		logger.info({ signal }, 'shutting down');
		bot.stop().then(
			() => process.exit(0),
			(error: unknown) => {
				logger.error({ err: error }, 'shutdown failed');
				process.exit(1);
			},
		);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
} catch (error) {
	logger.fatal({ err: error }, 'startup failed');
	process.stderr.write(`gemthread cannot start: ${describeStartupError(error)}\n`);
	process.exit(1);
}
