// `npm start` runs this (and systemd or Docker can run `node bin/start.js` directly). It builds better-sqlite3's native
// module when it does not load (install scripts are off: see setup.js), rebuilds dist/ only when a source is newer
// than the last build, then runs the bot in this same process so that signals reach it directly.
// Plain JavaScript because it has to run before anything is built.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import process from 'node:process';

const ROOT = join(import.meta.dirname, '..');
// tsc rewrites it on every build that changed something; after a build that changed nothing we touch it ourselves.
const BUILD_INFO = join(ROOT, 'dist', '.tsbuildinfo');

/** Newest mtime under `path`; folders count too, so that a deleted source file also makes the build stale. */
function newestChange(path) {
	const stats = statSync(path, { throwIfNoEntry: false });
	if (stats === undefined) return 0;
	if (!stats.isDirectory()) return stats.mtimeMs;
	return readdirSync(path).reduce((newest, name) => Math.max(newest, newestChange(join(path, name))), stats.mtimeMs);
}

/** The newest change to what dist/ is built from; undefined in a deployed copy without sources (the Docker image). */
function newestSource() {
	if (!existsSync(join(ROOT, 'src'))) return undefined;
	const inputs = [
		'src',
		'migrations',
		...readdirSync(ROOT).filter((name) => /^(tsconfig.*|package)\.json$/.test(name)),
	];
	return Math.max(...inputs.map((input) => newestChange(join(ROOT, input))));
}

function buildIsStale(sources) {
	// A deployed copy without sources runs the dist/ it was given.
	if (sources === undefined) return false;
	return sources > (statSync(BUILD_INFO, { throwIfNoEntry: false })?.mtimeMs ?? 0);
}

async function build(sources) {
	let tsc;
	try {
		tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
	} catch {
		return fail('dist/ is out of date and TypeScript is missing; run `npm install` (with dev dependencies).');
	}
	process.stderr.write('gemthread: the sources changed since the last build; building…\n');
	// Compiler output goes to stderr: stdout carries only the bot's JSON log lines.
	const child = spawn(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], {
		cwd: ROOT,
		stdio: ['ignore', process.stderr, process.stderr],
	});
	let interrupted;
	const forward = (signal) => {
		interrupted = signal;
		child.kill(signal);
	};
	process.on('SIGINT', forward).on('SIGTERM', forward);
	const [code] = await once(child, 'exit');
	process.off('SIGINT', forward).off('SIGTERM', forward);
	if (interrupted !== undefined) process.exit(interrupted === 'SIGINT' ? 130 : 143);
	// Dated by the newest source it was built from, not by Date.now(): the file system dates changes by a coarser
	// clock that can lag it by some milliseconds, so a file deleted right after a build could look older than the
	// build. (A change made during the build then makes the next start build again, as it should.) On failure tsc has
	// still written its build info: dating it back makes the next start try again.
	// One millisecond over: utimes stores a float of seconds, which can land a nanosecond under the value given.
	const builtAt = code === 0 ? new Date(Math.ceil(sources) + 1) : new Date(0);
	if (existsSync(BUILD_INFO)) utimesSync(BUILD_INFO, builtAt, builtAt);
	if (code !== 0) fail('the TypeScript build failed (errors above); fix them and start again.');
}

function fail(message) {
	process.stderr.write(`gemthread cannot start: ${message}\n`);
	process.exit(1);
}

// Only when better-sqlite3 is installed, the one case where setup.js has something to do, so that this launcher also
// runs on its own (its tests copy it alone).
async function ensureNativeBuild() {
	try {
		createRequire(import.meta.url).resolve('better-sqlite3');
	} catch {
		return;
	}
	const setup = await import('./setup.js');
	try {
		setup.ensureNativeBuild();
	} catch (error) {
		fail(error.message);
	}
}

await ensureNativeBuild();
const sources = newestSource();
if (buildIsStale(sources)) await build(sources);
await import('../dist/main.js');
