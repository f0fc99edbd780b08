import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const TSX_LOADER = createRequire(import.meta.url).resolve('tsx');

export type SpawnedBot = {
	readonly child: ChildProcessWithoutNullStreams;
	/** Everything the process wrote to stdout so far. */
	output(): string;
	/** SIGKILL: no shutdown code runs, as in a crash or an OOM kill. */
	kill(): Promise<void>;
};

/** The bot's real entry point in its own process (so that it can be killed), once it logged "ready". */
export async function spawnBot(env: Record<string, string>, timeoutMs = 15_000): Promise<SpawnedBot> {
	const child = spawn(process.execPath, ['--import', TSX_LOADER, MAIN], {
		cwd: mkdtempSync(join(tmpdir(), 'gemthread-child-')),
		env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'info', ...env },
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const bot: SpawnedBot = {
		child,
		output: () => stdout,
		async kill() {
			if (child.exitCode !== null || child.signalCode !== null) return;
			const exited = once(child, 'exit');
			child.kill('SIGKILL');
			await exited;
		},
	};
	const deadline = Date.now() + timeoutMs;
	while (!stdout.includes('"msg":"ready"')) {
		if (child.exitCode !== null || Date.now() > deadline) {
			await bot.kill();
			throw new Error(`spawned bot did not get ready:\n${stdout}\n${stderr}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
	return bot;
}
