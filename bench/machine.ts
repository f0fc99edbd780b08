import { execFileSync } from 'node:child_process';
import { cpus, platform, release, totalmem } from 'node:os';

function git(args: readonly string[]): string | undefined {
	try {
		return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
	} catch {
		return undefined;
	}
}

/** The commit, and which code folders have uncommitted changes (other people may be editing them). */
export function codeState(): string {
	const head = git(['rev-parse', '--short', 'HEAD']);
	if (head === undefined) return 'unknown';
	const dirty = ['src', 'test', 'migrations'].filter((folder) => git(['status', '--porcelain', '--', folder]));
	return `${head}${dirty.length > 0 ? ` + uncommitted changes in ${dirty.join('/, ')}/` : ' (src/, test/ clean)'}`;
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
