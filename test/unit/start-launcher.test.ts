import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const LAUNCHER = fileURLToPath(new URL('../../bin/start.js', import.meta.url));

// Stands in for tsc: counts its runs, and "builds" a dist/main.js that prints its pid (or fails when asked to).
const FAKE_TSC = `
const { appendFileSync, mkdirSync, writeFileSync } = require('node:fs');
appendFileSync('tsc-runs', 'run\\n');
mkdirSync('dist', { recursive: true });
writeFileSync('dist/.tsbuildinfo', '{}');
if (process.env.FAKE_TSC_FAILS) {
	console.log('src/main.ts(1,1): error TS1005: broken');
	process.exit(2);
}
writeFileSync('dist/main.js', 'process.stdout.write(\`bot ran in \${process.pid}\\\\n\`);');
`;

const roots: string[] = [];
afterEach(() => {
	for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A checkout in miniature: the real launcher, a source file, and the fake tsc where typescript would be. */
function fakeCheckout(): string {
	const root = mkdtempSync(join(tmpdir(), 'gemthread-launcher-'));
	roots.push(root);
	for (const folder of ['bin', 'src', 'migrations', 'node_modules/typescript/bin']) {
		mkdirSync(join(root, folder), { recursive: true });
	}
	copyFileSync(LAUNCHER, join(root, 'bin', 'start.js'));
	writeFileSync(join(root, 'package.json'), '{ "type": "module" }');
	writeFileSync(join(root, 'tsconfig.build.json'), '{}');
	writeFileSync(join(root, 'src', 'main.ts'), 'export {};');
	writeFileSync(join(root, 'migrations', '001_init.sql'), 'SELECT 1;');
	writeFileSync(join(root, 'node_modules', 'typescript', 'package.json'), '{ "name": "typescript" }');
	writeFileSync(join(root, 'node_modules', 'typescript', 'bin', 'tsc'), FAKE_TSC);
	return root;
}

function start(root: string, env: Record<string, string> = {}) {
	const run = spawnSync(process.execPath, [join(root, 'bin', 'start.js')], {
		cwd: root,
		env: { PATH: process.env['PATH'] ?? '', ...env },
		encoding: 'utf8',
	});
	const builds = readFileSync(join(root, 'tsc-runs'), { encoding: 'utf8', flag: 'a+' }).split('\n').length - 1;
	return { ...run, builds };
}

function touchLater(path: string): void {
	const later = new Date(Date.now() + 10_000);
	utimesSync(path, later, later);
}

describe('bin/start.js', () => {
	it('builds when dist/ is missing, then runs the bot in its own process', () => {
		const root = fakeCheckout();
		const run = start(root);
		expect(run.status).toBe(0);
		expect(run.builds).toBe(1);
		expect(run.stdout).toBe(`bot ran in ${run.pid}\n`);
	});

	it('starts without building when the build is newer than every source', () => {
		const root = fakeCheckout();
		start(root);
		const run = start(root);
		expect(run.builds).toBe(1);
		expect(run.stderr).toBe('');
		expect(run.stdout).toContain('bot ran');
	});

	it.each(['src/main.ts', 'migrations/001_init.sql', 'package.json', 'tsconfig.build.json'])(
		'rebuilds when %s changed after the last build',
		(file) => {
			const root = fakeCheckout();
			start(root);
			touchLater(join(root, file));
			const run = start(root);
			expect(run.builds).toBe(2);
			expect(run.stdout).toContain('bot ran');
		},
	);

	it('rebuilds when a source file was deleted, which only its folder records', () => {
		const root = fakeCheckout();
		writeFileSync(join(root, 'src', 'old.ts'), 'export {};');
		start(root);
		rmSync(join(root, 'src', 'old.ts'));
		expect(start(root).builds).toBe(2);
	});

	it('says in one line that the build failed, does not start, and builds again at the next start', () => {
		const root = fakeCheckout();
		const failed = start(root, { FAKE_TSC_FAILS: '1' });
		expect(failed.status).toBe(1);
		expect(failed.stdout).toBe('');
		expect(failed.stderr).toContain('error TS1005: broken');
		expect(failed.stderr.trim().split('\n').at(-1)).toBe(
			'gemthread cannot start: the TypeScript build failed (errors above); fix them and start again.',
		);
		const next = start(root);
		expect(next.builds).toBe(2);
		expect(next.stdout).toContain('bot ran');
	});
});
