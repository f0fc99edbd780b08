import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';

/** Writes `line` to stderr once per test run rather than once per test file: the first worker to create the marker says it. */
export function announceSkip(topic: string, line: string): void {
	const run = isMainThread ? process.ppid : process.pid;
	try {
		writeFileSync(join(tmpdir(), `gemthread-${topic}-skipped-${run}`), '', { flag: 'wx' });
	} catch {
		return;
	}
	process.stderr.write(`${line}\n`);
}
