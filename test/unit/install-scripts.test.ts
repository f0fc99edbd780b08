import { spawnSync } from 'node:child_process';
import {
	copyFileSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	utimesSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// `npm install` must run no dependency's install script but better-sqlite3's, on npm 10 (which ignores package.json's
// allowScripts) as on npm 11. .npmrc turns them all off; bin/setup.js builds better-sqlite3 when the scripts people
// run need it. These checks are static or use fakes: the real installs are too slow for the suite.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (name: string): string => readFileSync(join(ROOT, name), 'utf8');

type PackageJson = { scripts: Record<string, string>; allowScripts: Record<string, boolean> };
type Lockfile = { packages: Record<string, { name?: string; hasInstallScript?: boolean }> };

const packageJson = JSON.parse(read('package.json')) as PackageJson;
const scripts = packageJson.scripts;

/** npm's ini format as far as .npmrc uses it: `key=value` lines, `#` and `;` comments, the last value wins. */
function npmrc(): Map<string, string> {
	const settings = new Map<string, string>();
	for (const raw of read('.npmrc').split('\n')) {
		const line = raw.trim();
		if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
		const [key = '', ...value] = line.split('=');
		settings.set(key.trim(), value.join('=').trim());
	}
	return settings;
}

/** Names of the packages the lockfile says have preinstall, install or postinstall scripts. */
function packagesWithInstallScripts(): string[] {
	const lockfile = JSON.parse(read('package-lock.json')) as Lockfile;
	const names = Object.entries(lockfile.packages)
		.filter(([path, entry]) => path !== '' && entry.hasInstallScript === true)
		.map(([path, entry]) => entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
	return [...new Set(names)].sort();
}

/** allowScripts keys may pin versions (`pkg@1.2.3`); the name is what is before the version's `@`. */
const allowedName = (key: string): string => key.replace(/(?<=.)@.*$/, '');

describe('.npmrc', () => {
	it('turns install scripts off, which npm 10 and 11 both honour', () => {
		expect(npmrc().get('ignore-scripts')).toBe('true');
	});

	it('makes npm 11 fail rather than run an unreviewed install script, should scripts be turned back on', () => {
		expect(npmrc().get('strict-allow-scripts')).toBe('true');
	});
});

describe("package.json's allowScripts", () => {
	it('reviews every dependency that the lockfile marks with install scripts', () => {
		const reviewed = new Set(Object.keys(packageJson.allowScripts).map(allowedName));
		const unreviewed = packagesWithInstallScripts().filter((name) => !reviewed.has(name));
		// A new one: decide whether it needs its script. If it does, bin/setup.js has to run it too: .npmrc stops it.
		expect(unreviewed, 'add these to allowScripts (false unless the package cannot work without it)').toEqual([]);
	});

	it('allows only better-sqlite3, the one that bin/setup.js builds', () => {
		const allowed = Object.entries(packageJson.allowScripts).filter(([, allow]) => allow);
		expect(allowed.map(([key]) => allowedName(key))).toEqual(['better-sqlite3']);
	});
});

describe("package.json's scripts", () => {
	it('has no lifecycle scripts, which ignore-scripts would silently skip', () => {
		const names = Object.keys(scripts);
		for (const name of ['preinstall', 'install', 'postinstall', 'prepare', 'prepack', 'postpack']) {
			expect(names).not.toContain(name);
		}
		for (const name of names) {
			expect(names).not.toContain(`pre${name}`);
			expect(names).not.toContain(`post${name}`);
		}
	});

	it.each(['test', 'test:watch', 'bench', 'commands', 'backup', 'move-data', 'cluster', 'setup'])(
		'%s runs bin/setup.js first',
		(name) => {
			expect(scripts[name]).toMatch(/^node bin\/setup\.js && /);
		},
	);

	it('sends every other script that runs the tests, the benchmarks or the build through bin/setup.js', () => {
		for (const [name, command] of Object.entries(scripts)) {
			if (!/\b(vitest|tsx)\b|\bdist\//.test(command)) continue;
			expect(command, name).toMatch(/^node bin\/setup\.js && /);
		}
	});

	it('starts with bin/start.js, which runs the setup before the bot (tested below)', () => {
		expect(scripts['start']).toMatch(/^(exec )?node bin\/start\.js$/);
	});
});

describe('Dockerfile', () => {
	const runs = read('Dockerfile')
		.replace(/\\\n/g, ' ')
		.split('\n')
		.filter((line) => /^RUN\s/.test(line.trim()));

	it('installs without install scripts and builds better-sqlite3 alone', () => {
		const installs = runs.filter((line) => /\bnpm (ci|install)\b/.test(line));
		expect(installs.length).toBeGreaterThan(0);
		for (const line of installs) expect(line).toMatch(/\bnpm (ci|install)\b[^&;]*--ignore-scripts(?!=)/);
		const rebuilds = runs.flatMap((line) => line.match(/\bnpm rebuild\b[^&;]*/g) ?? []);
		expect(rebuilds.length).toBeGreaterThan(0);
		for (const rebuild of rebuilds) {
			expect(
				rebuild
					.trim()
					.split(/\s+/)
					.filter((word) => !word.startsWith('-')),
			).toEqual(['npm', 'rebuild', 'better-sqlite3']);
			// Needed when .npmrc is in the image; harmless otherwise.
			expect(rebuild).toContain('--ignore-scripts=false');
		}
	});
});

// Stands in for better-sqlite3: it loads once a "build" has left the file `built` next to it.
const FAKE_BETTER_SQLITE3 = `
const { existsSync } = require('node:fs');
const { join } = require('node:path');
module.exports = class Database {
	constructor() {
		if (!existsSync(join(__dirname, 'built'))) throw new Error('Could not locate the bindings file. Tried: …');
	}
	close() {}
};
`;

// Stands in for npm-cli.js: records its arguments, then "rebuilds" (or fails like node-gyp does).
const FAKE_NPM = `
const { appendFileSync, writeFileSync } = require('node:fs');
appendFileSync('npm-runs', process.argv.slice(2).join(' ') + '\\n');
console.log('> better-sqlite3@12.0.0 install');
if (process.env.FAKE_BUILD_FAILS) {
	console.error('gyp ERR! stack Error: \`make\` failed with exit code: 2');
	process.exit(1);
}
writeFileSync('node_modules/better-sqlite3/built', '');
`;

const roots: string[] = [];
afterEach(() => {
	for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A checkout in miniature: the real bin/, a fake better-sqlite3 (built or not, or absent) and a fake npm. */
function fakeCheckout(betterSqlite3: 'built' | 'unbuilt' | 'absent'): string {
	const root = mkdtempSync(join(tmpdir(), 'gemthread-setup-'));
	roots.push(root);
	for (const folder of ['bin', 'dist', 'npm/bin', 'node_modules']) mkdirSync(join(root, folder), { recursive: true });
	for (const file of ['setup.js', 'start.js']) copyFileSync(join(ROOT, 'bin', file), join(root, 'bin', file));
	writeFileSync(join(root, 'package.json'), '{ "type": "module" }');
	writeFileSync(join(root, 'npm', 'package.json'), '{ "name": "npm" }');
	writeFileSync(join(root, 'npm', 'bin', 'npm-cli.js'), FAKE_NPM);
	// As in the Docker image: no sources, so bin/start.js runs this dist/ without building.
	writeFileSync(join(root, 'dist', 'main.js'), "process.stdout.write('bot ran\\n');");
	if (betterSqlite3 !== 'absent') {
		const folder = join(root, 'node_modules', 'better-sqlite3');
		mkdirSync(folder);
		writeFileSync(join(folder, 'package.json'), '{ "name": "better-sqlite3", "main": "index.js" }');
		writeFileSync(join(folder, 'index.js'), FAKE_BETTER_SQLITE3);
		if (betterSqlite3 === 'built') writeFileSync(join(folder, 'built'), '');
	}
	return root;
}

function run(root: string, script: 'setup.js' | 'start.js', env: Record<string, string> = {}) {
	const result = spawnSync(process.execPath, [join(root, 'bin', script)], {
		cwd: root,
		env: { PATH: process.env['PATH'] ?? '', npm_execpath: join(root, 'npm', 'bin', 'npm-cli.js'), ...env },
		encoding: 'utf8',
	});
	const log = join(root, 'npm-runs');
	const npmRuns = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
	return { ...result, npmRuns };
}

describe('bin/setup.js', () => {
	it('does nothing, and says nothing, when better-sqlite3 loads', () => {
		const result = run(fakeCheckout('built'), 'setup.js');
		expect(result.npmRuns).toEqual([]);
		expect(result.stdout).toBe('');
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
	});

	it('does nothing in this checkout, whose better-sqlite3 works', () => {
		const root = mkdtempSync(join(tmpdir(), 'gemthread-setup-'));
		roots.push(root);
		writeFileSync(join(root, 'npm-cli.js'), "require('node:fs').writeFileSync(__dirname + '/npm-ran', '');");
		const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'setup.js')], {
			cwd: ROOT,
			env: { PATH: process.env['PATH'] ?? '', npm_execpath: join(root, 'npm-cli.js') },
			encoding: 'utf8',
		});
		expect(existsSync(join(root, 'npm-ran'))).toBe(false);
		expect(result.stdout).toBe('');
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
	});

	it("runs better-sqlite3's install script alone, with npm's output on stderr, when it does not load", () => {
		const root = fakeCheckout('unbuilt');
		const result = run(root, 'setup.js');
		expect(result.npmRuns).toEqual(['rebuild better-sqlite3 --ignore-scripts=false --foreground-scripts']);
		expect(result.stdout).toBe('');
		expect(result.stderr).toContain('> better-sqlite3@12.0.0 install');
		expect(result.stderr.trim().split('\n').at(-1)).toBe('gemthread: better-sqlite3 is ready.');
		expect(result.status).toBe(0);
		expect(run(root, 'setup.js').npmRuns).toHaveLength(1);
	});

	it('fails with one line naming the problem when the build fails', () => {
		const result = run(fakeCheckout('unbuilt'), 'setup.js', { FAKE_BUILD_FAILS: '1' });
		expect(result.status).toBe(1);
		expect(result.stderr).toContain('gyp ERR!');
		expect(result.stderr.trim().split('\n').at(-1)).toMatch(
			/^gemthread setup failed: better-sqlite3's native module did not build \(npm's output is above\).*README\.md\.$/,
		);
	});

	it('leaves a checkout without better-sqlite3 alone', () => {
		const result = run(fakeCheckout('absent'), 'setup.js');
		expect(result.npmRuns).toEqual([]);
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
	});
});

describe('bin/start.js', () => {
	function builtCheckout(betterSqlite3: 'built' | 'unbuilt'): string {
		const root = fakeCheckout(betterSqlite3);
		writeFileSync(join(root, 'dist', '.tsbuildinfo'), '{}');
		const later = new Date(Date.now() + 60_000);
		utimesSync(join(root, 'dist', '.tsbuildinfo'), later, later);
		return root;
	}

	it('builds better-sqlite3 before the bot runs, once', () => {
		const root = builtCheckout('unbuilt');
		const result = run(root, 'start.js');
		expect(result.npmRuns).toHaveLength(1);
		expect(result.stdout).toBe('bot ran\n');
		expect(result.status).toBe(0);
		const again = run(root, 'start.js');
		expect(again.npmRuns).toHaveLength(1);
		expect(again.stderr).toBe('');
	});

	it('does not start the bot when better-sqlite3 does not build', () => {
		const result = run(builtCheckout('unbuilt'), 'start.js', { FAKE_BUILD_FAILS: '1' });
		expect(result.status).toBe(1);
		expect(result.stdout).not.toContain('bot ran');
		expect(result.stderr.trim().split('\n').at(-1)).toMatch(
			/^gemthread cannot start: better-sqlite3's native module did not build/,
		);
	});
});
