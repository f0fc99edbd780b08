import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Run } from '../support/run-main.js';
import { expectOneLineNaming, ROOT, runScript } from '../support/run-main.js';

const SCRIPT = join(ROOT, 'src', 'scripts', 'sandbox.ts');
const URL_LINE = /^gemthread sandbox: (http:\/\/127\.0\.0\.1:\d+\/)$/m;

const directories: string[] = [];
afterEach(() => {
	for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function emptyDirectory(): string {
	const directory = mkdtempSync(join(tmpdir(), 'gemthread-sandbox-script-'));
	directories.push(directory);
	return directory;
}

/** `npm run sandbox`'s script in `cwd` with only `env` (no model keys unless given). */
function runSandbox(
	cwd: string,
	env: Record<string, string>,
	whenOutput?: (stdout: string, stop: () => void) => void,
): Promise<Run> {
	return runScript(SCRIPT, cwd, { HOME: cwd, ...env }, { timeoutMs: 30_000, ...(whenOutput ? { whenOutput } : {}) });
}

const expectOneLine = (run: Run, setting: string): void => {
	expectOneLineNaming(run, setting, 'gemthread sandbox cannot start: ');
};

describe('npm run sandbox (its script, spawned)', () => {
	it('starts with nothing configured: one URL on 127.0.0.1, the demo model named, a working page, data in data/sandbox.db', async () => {
		const cwd = emptyDirectory();
		let checked: Promise<{ page: number; commands: number; demo: boolean }> | undefined;
		const run = await runSandbox(cwd, { SANDBOX_PORT: '0' }, (stdout, stop) => {
			const url = URL_LINE.exec(stdout)?.[1];
			if (url === undefined || checked) return;
			checked = (async () => {
				const page = (await fetch(url)).status;
				let state = { commands: [] as unknown[], model: { demo: false } };
				for (let attempt = 0; attempt < 50 && state.commands.length === 0; attempt += 1) {
					state = (await (await fetch(new URL('/api/state', url))).json()) as typeof state;
					if (state.commands.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
				}
				return { page, commands: state.commands.length, demo: state.model.demo };
			})().finally(stop);
		});
		expect(run.code).toBe(0);
		await expect(checked).resolves.toEqual({ page: 200, commands: expect.any(Number) as number, demo: true });
		expect((await checked)?.commands).toBeGreaterThan(5);
		const lines = run.stdout.trim().split('\n');
		expect(lines[0]).toMatch(URL_LINE);
		expect(lines[1]).toMatch(/^No model is configured, so a demo model answers with canned text\. .*GEMINI_API_KEY/);
		expect(existsSync(join(cwd, 'data', 'sandbox.db'))).toBe(true);
		expect(run.stderr).toBe('');
	});

	it("refuses the bot's own database file, in one line naming SANDBOX_DATABASE_PATH", async () => {
		const cwd = emptyDirectory();
		const run = await runSandbox(cwd, {
			DATABASE_PATH: 'data/gemthread.db',
			SANDBOX_DATABASE_PATH: './data/gemthread.db',
		});
		expectOneLine(run, 'SANDBOX_DATABASE_PATH');
		expect(existsSync(join(cwd, 'data'))).toBe(false);
	});

	it('names SANDBOX_PORT in one line when the port is taken', async () => {
		const taken = createServer();
		await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
		try {
			const { port } = taken.address() as AddressInfo;
			expectOneLine(await runSandbox(emptyDirectory(), { SANDBOX_PORT: String(port) }), 'SANDBOX_PORT');
		} finally {
			taken.close();
		}
	});

	it('names the setting to fix in one line when .env holds a wrong one', async () => {
		const cwd = emptyDirectory();
		writeFileSync(join(cwd, '.env'), 'GEMINI_API_KEY=some-key\nMODEL_RPM=lots\n');
		expectOneLine(await runSandbox(cwd, { SANDBOX_PORT: '0' }), 'MODEL_RPM');
	});
});
