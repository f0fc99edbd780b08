import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { config as loadDotenv } from 'dotenv';
import { BackupError, backupDatabase } from '../store/sqlite/backup-database.js';

// `npm run backup -- [--force] <file>`: copies the SQLite database while the bot runs (on PostgreSQL it points to
// pg_dump). Needs only DATABASE_PATH, so it does not go through parseConfig (which requires the Discord and Gemini
// settings).
const USAGE = 'Usage: npm run backup -- [--force] <file>';
const DEFAULT_DATABASE_PATH = './data/gemthread.db';

loadDotenv({ quiet: true });
if ((process.env['DATABASE_URL']?.trim() ?? '') !== '') {
	// PostgreSQL has its own tool for consistent copies of a running database: use it rather than a copy of it here.
	fail(
		'DATABASE_URL is set, so the bot keeps everything in PostgreSQL: back it up with pg_dump, for example\n' +
			'  pg_dump --format=custom --file=gemthread.dump "$DATABASE_URL"\n' +
			'and restore with pg_restore --dbname="$DATABASE_URL" gemthread.dump (see "Backups" in the README).',
	);
}
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
