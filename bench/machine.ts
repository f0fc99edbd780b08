import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpus, platform, release, totalmem } from 'node:os';

function git(args: readonly string[]): string | undefined {
	try {
		return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
	} catch {
		return undefined;
	}
}

const CODE = ['src', 'test', 'migrations'];

/**
 * The commit, and which code folders have uncommitted changes (other people may be editing them), with a hash of
 * those changes: the same hash at the start and the end of a run means the code did not change during it.
 */
export function codeState(): string {
	const head = git(['rev-parse', '--short', 'HEAD']);
	if (head === undefined) return 'unknown';
	const dirty = CODE.filter((folder) => git(['status', '--porcelain', '--', folder]));
	if (dirty.length === 0) return `${head} (src/, test/ clean)`;
	const untracked = git(['ls-files', '--others', '--exclude-standard', '--', ...CODE]) ?? '';
	const diff = `${git(['diff', 'HEAD', '--', ...CODE]) ?? ''}\n${untracked}`;
	const hash = createHash('sha256').update(diff).digest('hex').slice(0, 8);
	return `${head} + uncommitted changes in ${dirty.join('/, ')}/ (diff ${hash})`;
}

/** Facts about where the numbers came from. */
export function machineFacts(): (readonly [string, string])[] {
	const cpuList = cpus();
	return [
		['Node', process.version],
		['CPU', `${cpuList[0]?.model ?? 'unknown'} × ${cpuList.length}`],
		['Memory', `${(totalmem() / 2 ** 30).toFixed(1)} GiB`],
		['OS', `${platform()} ${release()}`],
		['Code', codeState()],
		['Started', new Date().toISOString()],
	];
}
