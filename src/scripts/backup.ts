import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { config as loadDotenv } from 'dotenv';
import { BackupError, backupDatabase } from '../store/backup-database.js';

// `npm run backup -- [--force] <file>`: copies the database while the bot runs. Needs only DATABASE_PATH, so it
// does not go through parseConfig (which requires the Discord and Gemini settings).
const USAGE = 'Usage: npm run backup -- [--force] <file>';
const DEFAULT_DATABASE_PATH = './data/gemthread.db';

loadDotenv({ quiet: true });
const configured = process.env['DATABASE_PATH']?.trim();
const databasePath = configured === undefined || configured === '' ? DEFAULT_DATABASE_PATH : configured;

let parsed;
try {
	parsed = parseArgs({ options: { force: { type: 'boolean', default: false } }, allowPositionals: true });
} catch {
	fail(USAGE);
}
const [destination, ...extra] = parsed.positionals;
if (destination === undefined || extra.length > 0) fail(USAGE);

try {
	const pages = await backupDatabase(databasePath, destination, { force: parsed.values.force });
	process.stdout.write(`Backed up ${pages} pages to ${resolve(destination)}\n`);
} catch (error) {
	fail(`Backup failed: ${describe(error)}`);
}

function describe(error: unknown): string {
	if (error instanceof BackupError && error.code === 'source-missing') {
		const setting = configured === undefined || configured === '' ? 'the default' : 'DATABASE_PATH';
		return `${error.message} (${setting}: ${databasePath}); set DATABASE_PATH in .env or the environment to the bot's database.`;
	}
	return error instanceof Error ? error.message : String(error);
}

function fail(message: string): never {
	process.stderr.write(`${message}\n`);
	process.exit(1);
}
