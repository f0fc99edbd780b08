import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { config as loadDotenv } from 'dotenv';
import { moveData } from '../store/move/move-data.js';
import { MoveError } from '../store/move/move-error.js';
import { parseTargetUrl } from '../store/move/parse-target-url.js';

// `npm run move-data -- --to postgres://… [--from <file>]`: copies the SQLite database (DATABASE_PATH, or --from)
// into an empty PostgreSQL database, checks the copy, and commits it whole or not at all. Needs only these two, so
// it does not go through parseConfig (which requires the Discord and Gemini settings).
const USAGE = 'Usage: npm run move-data -- --to postgres://user:password@host:5432/database [--from <file>]';
const DEFAULT_DATABASE_PATH = './data/gemthread.db';

loadDotenv({ quiet: true });
let parsed;
try {
	parsed = parseArgs({ options: { to: { type: 'string' }, from: { type: 'string' } }, allowPositionals: false });
} catch {
	fail(USAGE);
}
const { to, from } = parsed.values;
if (to === undefined) fail(USAGE);
const configured = process.env['DATABASE_PATH']?.trim();
const sourcePath = resolve(
	from ?? (configured === undefined || configured === '' ? DEFAULT_DATABASE_PATH : configured),
);

let target: string;
try {
	target = parseTargetUrl(to);
} catch (error) {
	fail(messageOf(error));
}
if (!existsSync(sourcePath)) {
	const setting = from !== undefined ? '--from' : configured ? 'DATABASE_PATH' : 'the default DATABASE_PATH';
	fail(`No SQLite database at ${sourcePath} (${setting}); set DATABASE_PATH in .env or pass --from <file>.`);
}

process.stdout.write(
	`Moving ${sourcePath} to PostgreSQL at ${target}. Keep the bot stopped until this ends (if the database changes meanwhile, nothing is committed).\n`,
);
try {
	const summary = await moveData({
		from: sourcePath,
		to,
		onTable: (table, rows) => process.stdout.write(`  ${table.padEnd(17)} ${count(rows, 'row')}\n`),
	});
	const seconds = (summary.durationMs / 1_000).toFixed(1);
	process.stdout.write(
		`Checked and committed: row counts match in all ${summary.tables.length} tables; sha256 matches for ` +
			`${count(summary.blobsVerified, 'attachment')} (recomputed in PostgreSQL from the copied bytes). Took ${seconds} s.\n` +
			`Next: set DATABASE_URL to that URL (in .env or the environment) and start the bot. ${sourcePath} is left as it was.\n`,
	);
} catch (error) {
	fail(`Move failed: ${messageOf(error)}`);
}

function count(value: number, noun: string): string {
	return `${value.toLocaleString('en-US')} ${noun}${value === 1 ? '' : 's'}`;
}

function messageOf(error: unknown): string {
	if (error instanceof MoveError) return error.message;
	// Not expected (moveData throws MoveErrors, whose messages never hold the password): the first line only.
	return error instanceof Error ? `${error.name}: ${error.message.split('\n', 1)[0] ?? ''}` : 'unexpected failure';
}

function fail(message: string): never {
	process.stderr.write(`${message}\n`);
	process.exit(1);
}
