import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'src', 'main.ts');
// Runs the TypeScript entry point directly, as `npm start` runs its compiled twin.
const TSX_LOADER = createRequire(import.meta.url).resolve('tsx');

export type Run = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };
export type RunOptions = {
	/** Lets the test act once a line appears. */
	whenOutput?: (output: string, stop: () => void) => void;
	/** Kills the child after this long, so that a hang fails the test and leaves no process behind. */
	timeoutMs?: number;
};

/** Collects a child's output until it exits. */
export function collect(child: ChildProcess, options: RunOptions = {}): Promise<Run> {
	return new Promise((resolve, reject) => {
		let stdout = '';
		let stderr = '';
		let stopped = false;
		const stop = () => {
			if (!stopped) child.kill('SIGTERM');
			stopped = true;
		};
		const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 19_000);
		child.stdout?.on('data', (chunk: Buffer) => {
			stdout += chunk.toString();
			options.whenOutput?.(stdout, stop);
		});
		child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({ code, signal, stdout, stderr });
		});
	});
}

/** Starts a TypeScript entry point (`src/…`) in `cwd` with only `env` (and PATH). */
export function runScript(
	script: string,
	cwd: string,
	env: Record<string, string>,
	options?: RunOptions,
): Promise<Run> {
	const child = spawn(process.execPath, ['--import', TSX_LOADER, script], {
		cwd,
		env: { PATH: process.env['PATH'] ?? '', ...env },
	});
	return collect(child, options);
}

/** Starts the bot's entry point in `cwd` with only `env`. */
export function runMain(cwd: string, env: Record<string, string>, options?: RunOptions): Promise<Run> {
	return runScript(MAIN, cwd, env, options);
}

/** Exit code 1 and one line on stderr naming `setting`, with no stack trace anywhere. */
export function expectOneLineNaming(run: Run, setting: string, prefix = 'gemthread cannot start: '): void {
	expect(run.code).toBe(1);
	const lines = run.stderr.trim().split('\n');
	expect(lines).toHaveLength(1);
	expect(lines[0]?.startsWith(prefix)).toBe(true);
	expect(lines[0]).toContain(setting);
	expect(run.stderr).not.toMatch(/\n\s+at /);
	// Nor on stdout, in the JSON log, at the default level.
	expect(run.stdout).not.toContain('"stack"');
}
