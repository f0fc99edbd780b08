// Install scripts are off (.npmrc has ignore-scripts=true), so `npm install` leaves better-sqlite3 without its native
// module. This builds it, and only it, when it does not load: after a fresh install, and after a change of Node
// version. `npm test`, `npm start` (through bin/start.js) and the other scripts run it first; when the module loads,
// it does nothing else (about a tenth of a second). Plain JavaScript because it has to run before anything is built.
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, delimiter, isAbsolute, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const ROOT = join(import.meta.dirname, '..');
const PACKAGE = 'better-sqlite3';

/** Where `require('better-sqlite3')` leads from the project, or undefined when it is not installed. */
function installedEntry() {
	try {
		return createRequire(join(ROOT, 'package.json')).resolve(PACKAGE);
	} catch {
		return undefined;
	}
}

/**
 * Opens an in-memory database in a child process, which also loads the native module. A child, because a module
 * built for another Node version stays half-loaded in the process that tried it. Returns the error, if any.
 */
function loadError(entry) {
	const child = spawnSync(process.execPath, ['-e', `new (require(${JSON.stringify(entry)}))(':memory:').close()`], {
		cwd: ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'ignore', 'pipe'],
	});
	if (child.status === 0) return undefined;
	const message = /^\w*Error: .*$/m.exec(child.stderr)?.[0];
	return message ?? (child.stderr.trim().split('\n')[0] || `exit code ${child.status ?? child.signal}`);
}

/** The npm that runs us (`npm test`), else the one on PATH (`node bin/start.js` under systemd or Docker). */
function npm(args) {
	const cli = process.env['npm_execpath'];
	const options = { cwd: ROOT, stdio: ['ignore', 2, 2] };
	if (cli !== undefined && /^npm-cli\.[cm]?js$/.test(basename(cli))) {
		return spawnSync(process.execPath, [cli, ...args], options);
	}
	// npm is npm.cmd on Windows, which only a shell runs; the arguments are plain words.
	return spawnSync('npm', args, { ...options, shell: process.platform === 'win32' });
}

/** The build tools node-gyp needs that are not on PATH (Windows is left to node-gyp's own message). */
function missingTools() {
	if (process.platform === 'win32') return [];
	const dirs = (process.env['PATH'] ?? '').split(delimiter).filter(Boolean);
	const found = (names) => names.some((name) => dirs.some((dir) => existsSync(join(dir, name))));
	const cxx = process.env['CXX']?.trim().split(/\s+/)[0];
	const tools = [
		['python3', found(['python3', 'python'])],
		['make', found(['make'])],
		['a C++ compiler', cxx ? (isAbsolute(cxx) ? existsSync(cxx) : found([cxx])) : found(['g++', 'c++', 'clang++'])],
	];
	return tools.filter(([, present]) => !present).map(([label]) => label);
}

/**
 * Makes sure better-sqlite3's native module loads, building it with its own install script if not. Throws an Error
 * with a one-line message when that fails. Does nothing when better-sqlite3 is not installed at all: there is
 * nothing to build, and whatever imports it reports that.
 */
export function ensureNativeBuild() {
	const entry = installedEntry();
	if (entry === undefined || loadError(entry) === undefined) return;
	process.stderr.write(
		`gemthread: building ${PACKAGE}'s native module, which does not load (install scripts are off)…\n`,
	);
	// The command line beats .npmrc: this runs better-sqlite3's install script, and no other package's.
	const run = npm(['rebuild', PACKAGE, '--ignore-scripts=false', '--foreground-scripts']);
	if (run.error !== undefined || run.status !== 0) {
		const cause = run.error === undefined ? "npm's output is above" : `could not run npm: ${run.error.message}`;
		const missing = missingTools();
		throw new Error(
			`${PACKAGE}'s native module did not build (${cause})` +
				(missing.length > 0 ? `; not found on this machine: ${missing.join(', ')}` : '') +
				'. See "Installing without Docker: better-sqlite3" in README.md.',
		);
	}
	const error = loadError(entry);
	if (error !== undefined) throw new Error(`${PACKAGE}'s native module was rebuilt but still does not load: ${error}`);
	process.stderr.write(`gemthread: ${PACKAGE} is ready.\n`);
}

/** Whether node was started with this file (`node bin/setup.js`), rather than bin/start.js importing it. */
function isMain() {
	if (process.argv[1] === undefined) return false;
	try {
		return realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
	} catch {
		return false;
	}
}

if (isMain()) {
	try {
		ensureNativeBuild();
	} catch (error) {
		process.stderr.write(`gemthread setup failed: ${error.message}\n`);
		process.exit(1);
	}
}
