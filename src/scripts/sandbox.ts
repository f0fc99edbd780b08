import { resolve } from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { ConfigError } from '../config/config.js';
import { startSandbox } from '../sandbox/start-sandbox.js';
import { describeStartupError } from '../startup/describe-startup-error.js';

const DEFAULT_PORT = 3700;

const say = (line: string): void => {
	process.stdout.write(`${line}\n`);
};
const fail = (reason: string): number => {
	process.stderr.write(`gemthread sandbox cannot start: ${reason}\n`);
	return 1;
};

/** The .env and the environment, without touching this process's own environment. */
function ownerSettings(): Record<string, string | undefined> {
	const env: Record<string, string | undefined> = { ...process.env };
	loadDotenv({ processEnv: env, quiet: true });
	return env;
}

function port(value: string | undefined): number {
	if (value === undefined || value === '') return DEFAULT_PORT;
	const number = Number(value);
	if (!Number.isInteger(number) || number < 0 || number > 65_535) {
		throw new ConfigError([`SANDBOX_PORT must be a port number (0 to 65535), got "${value}"`]);
	}
	return number;
}

/** `npm run sandbox`: the Discord emulator, the real bot logged in to it, and a page to talk to it, on 127.0.0.1. */
async function main(): Promise<number> {
	const env = ownerSettings();
	const databasePath = resolve(env.SANDBOX_DATABASE_PATH || 'data/sandbox.db');
	if (env.DATABASE_PATH && resolve(env.DATABASE_PATH) === databasePath) {
		return fail("SANDBOX_DATABASE_PATH is the bot's own DATABASE_PATH; give the sandbox a file of its own.");
	}
	const host = env.SANDBOX_HOST || '127.0.0.1';
	let sandbox;
	try {
		sandbox = await startSandbox({ env, databasePath, host, port: port(env.SANDBOX_PORT) });
	} catch (error) {
		const reason =
			error instanceof ConfigError
				? `${error.problems.join('; ')} (in .env or the environment)`
				: (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
					? `port ${env.SANDBOX_PORT || DEFAULT_PORT} is in use; set SANDBOX_PORT to another (0 picks a free one)`
					: describeStartupError(error);
		return fail(reason);
	}
	say(`gemthread sandbox: ${sandbox.url}`);
	say(
		sandbox.model.demo
			? 'No model is configured, so a demo model answers with canned text. For real answers set GEMINI_API_KEY in .env ' +
					'(free at https://aistudio.google.com/apikey), or OPENAI_BASE_URL to a local server such as Ollama, and start again.'
			: `Model: ${sandbox.model.name} (from your settings). Data: ${databasePath}. Ctrl+C stops.`,
	);
	const running = sandbox;
	await new Promise<void>((done) => {
		const stop = (): void => {
			running.stop().then(done, done);
		};
		process.once('SIGINT', stop);
		process.once('SIGTERM', stop);
	});
	return 0;
}

process.exitCode = await main();
