import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// There is no Docker daemon where the tests run, so this checks the Dockerfile and compose.yaml statically, in the
// spirit of hadolint: each assertion names a property the image needs and fails when an edit breaks it.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (name: string): string => readFileSync(join(ROOT, name), 'utf8');

type Instruction = { keyword: string; args: string };
type Stage = { image: string; name: string | undefined; instructions: Instruction[] };

/** Joins `\` continuations, drops comments and blank lines, and groups the instructions by `FROM`. */
function parseDockerfile(text: string): Stage[] {
	const lines: string[] = [];
	let pending = '';
	for (const raw of text.split('\n')) {
		const line = raw.trim();
		if (line === '' || line.startsWith('#')) continue;
		if (line.endsWith('\\')) {
			pending += `${line.slice(0, -1).trim()} `;
			continue;
		}
		lines.push(pending + line);
		pending = '';
	}
	const stages: Stage[] = [];
	for (const line of lines) {
		const [keyword = '', ...rest] = line.split(/\s+/);
		const instruction = { keyword: keyword.toUpperCase(), args: rest.join(' ') };
		if (instruction.keyword === 'FROM') {
			const words = rest.filter((word) => !word.startsWith('--'));
			const asIndex = words.findIndex((word) => word.toUpperCase() === 'AS');
			stages.push({ image: words[0] ?? '', name: asIndex === -1 ? undefined : words[asIndex + 1], instructions: [] });
		} else {
			const stage = stages.at(-1);
			if (stage === undefined) throw new Error(`${instruction.keyword} before the first FROM`);
			stage.instructions.push(instruction);
		}
	}
	return stages;
}

const stages = parseDockerfile(read('Dockerfile'));
const buildStage = stages.find((stage) => stage.name === 'build') ?? stages[0]!;
const runtimeStage = stages.at(-1)!;
const args = (stage: Stage, keyword: string): string[] =>
	stage.instructions.filter((instruction) => instruction.keyword === keyword).map((instruction) => instruction.args);
const last = (stage: Stage, keyword: string): string | undefined => args(stage, keyword).at(-1);
const indexOf = (stage: Stage, keyword: string, pattern: RegExp): number =>
	stage.instructions.findIndex((instruction) => instruction.keyword === keyword && pattern.test(instruction.args));

/** `KEY=value` pairs of every ENV in the stage (the legacy `ENV KEY value` form too). */
function environment(stage: Stage): Record<string, string> {
	const result: Record<string, string> = {};
	for (const line of args(stage, 'ENV')) {
		if (!line.includes('=')) {
			const [key = '', ...value] = line.split(/\s+/);
			result[key] = value.join(' ');
			continue;
		}
		for (const pair of line.split(/\s+/)) {
			const [key = '', value = ''] = pair.split('=');
			result[key] = value;
		}
	}
	return result;
}

/** The JSON array of an exec-form CMD or HEALTHCHECK CMD; undefined for the shell form. */
function execForm(text: string): string[] | undefined {
	try {
		const parsed: unknown = JSON.parse(text);
		return Array.isArray(parsed) && parsed.every((part) => typeof part === 'string') ? parsed : undefined;
	} catch {
		return undefined;
	}
}

const healthcheck = last(runtimeStage, 'HEALTHCHECK') ?? '';
const healthcheckCommand = execForm(healthcheck.replace(/^(--\S+\s+)*CMD\s+/, ''));

describe('Dockerfile', () => {
	it('has a build stage and a runtime stage on the same base image', () => {
		expect(stages.length).toBeGreaterThanOrEqual(2);
		expect(buildStage).not.toBe(runtimeStage);
		expect(runtimeStage.image).toBe(buildStage.image);
	});

	it('pins every base image to a major version, never latest', () => {
		const stageNames = new Set(stages.map((stage) => stage.name));
		for (const { image } of stages.filter((stage) => !stageNames.has(stage.image))) {
			expect(image).not.toMatch(/:latest\b/);
			expect(image, `${image} must name a major version`).toMatch(/^[\w./-]+:\d+[\w.-]*(@sha256:[0-9a-f]{64})?$/);
		}
	});

	it('installs the toolchain better-sqlite3 compiles with, builds, then drops the dev dependencies', () => {
		const toolchain = indexOf(buildStage, 'RUN', /apt-get install/);
		expect(toolchain).toBeGreaterThanOrEqual(0);
		for (const tool of ['python3', 'make', 'g++']) {
			expect(buildStage.instructions[toolchain]!.args.split(/\s+/)).toContain(tool);
		}
		const install = indexOf(buildStage, 'RUN', /\bnpm ci\b/);
		const build = indexOf(buildStage, 'RUN', /\bnpm run build\b/);
		const prune = indexOf(buildStage, 'RUN', /\bnpm prune --omit=dev\b/);
		expect(install).toBeGreaterThan(toolchain);
		expect(buildStage.instructions[install]!.args).not.toMatch(/--omit=dev|--production/);
		expect(build).toBeGreaterThanOrEqual(install);
		expect(prune).toBeGreaterThanOrEqual(build);
	});

	it('gives the runtime the production node_modules and the build from the build stage', () => {
		const copies = args(runtimeStage, 'COPY');
		const fromBuild = (path: string) =>
			copies.some((copy) => copy.includes(`--from=${buildStage.name ?? '0'}`) && copy.includes(path));
		expect(fromBuild('node_modules')).toBe(true);
		expect(fromBuild('dist')).toBe(true);
		for (const path of ['package.json', 'migrations', 'bin']) {
			expect(copies.some((copy) => copy.includes(path))).toBe(true);
		}
	});

	it('leaves bin/start.js nothing to rebuild: no sources in the image, and the build dated after every COPY', () => {
		const copies = args(runtimeStage, 'COPY').join('\n');
		expect(copies).not.toMatch(/\bsrc\b|tsconfig/);
		const lastCopy = runtimeStage.instructions.findLastIndex((instruction) => instruction.keyword === 'COPY');
		expect(indexOf(runtimeStage, 'RUN', /\btouch dist\/\.tsbuildinfo\b/)).toBeGreaterThan(lastCopy);
	});

	it('runs as a non-root user, with the database on a volume that user owns', () => {
		const user = last(runtimeStage, 'USER');
		expect(user).toBeDefined();
		expect(user).not.toMatch(/^(root|0)(:|$)/);
		expect(args(runtimeStage, 'VOLUME').join(' ')).toMatch(/(^|[\s"[])\/data\b/);
		expect(indexOf(runtimeStage, 'RUN', new RegExp(`chown ${user!}(:\\S+)? /data\\b`))).toBeGreaterThanOrEqual(0);
		expect(environment(runtimeStage)).toMatchObject({
			NODE_ENV: 'production',
			DATABASE_PATH: '/data/gemthread.db',
		});
	});

	it('stops with SIGTERM and starts node in exec form, so node itself gets the signal', () => {
		expect(last(runtimeStage, 'STOPSIGNAL')).toBe('SIGTERM');
		expect(execForm(last(runtimeStage, 'CMD') ?? '')).toEqual(['node', 'bin/start.js']);
	});

	it('checks /healthz on HEALTH_PORT, which it sets and exposes', () => {
		expect(healthcheckCommand?.slice(0, 2)).toEqual(['node', '-e']);
		expect(healthcheckCommand?.[2]).toContain('http://127.0.0.1:${process.env.HEALTH_PORT}/healthz');
		const port = environment(runtimeStage)['HEALTH_PORT'];
		expect(port).toMatch(/^\d+$/);
		expect(args(runtimeStage, 'EXPOSE')).toContain(port);
	});

	it('leaves the health server on 127.0.0.1, where the HEALTHCHECK calls it and nothing outside can', () => {
		expect(environment(runtimeStage)['HEALTH_HOST'] ?? '127.0.0.1').toBe('127.0.0.1');
		expect(healthcheckCommand?.[2]).toMatch(/\bhttp:\/\/127\.0\.0\.1:/);
	});

	it('never ADDs a remote URL', () => {
		for (const stage of stages) {
			for (const added of args(stage, 'ADD')) expect(added).not.toMatch(/\bhttps?:\/\//);
		}
	});
});

describe('the HEALTHCHECK command', () => {
	const servers: { close(): void }[] = [];
	afterEach(() => {
		for (const server of servers.splice(0)) server.close();
	});

	async function serve(status: number): Promise<number> {
		const server = createServer((request, response) => {
			response.writeHead(request.url === '/healthz' ? status : 404).end('{}');
		});
		servers.push(server);
		server.listen(0, '127.0.0.1');
		await once(server, 'listening');
		return (server.address() as AddressInfo).port;
	}

	async function check(port: number): Promise<number | null> {
		const [, flag = '', script = ''] = healthcheckCommand ?? [];
		const child = spawn(process.execPath, [flag, script], { env: { HEALTH_PORT: String(port) }, stdio: 'ignore' });
		const [code] = (await once(child, 'exit')) as [number | null];
		return code;
	}

	it('exits 0 when /healthz answers 200', async () => {
		expect(await check(await serve(200))).toBe(0);
	});

	it('exits 1 when /healthz answers 503', async () => {
		expect(await check(await serve(503))).toBe(1);
	});

	it('exits 1 when nothing listens on HEALTH_PORT', async () => {
		const port = await serve(200);
		servers.splice(0).forEach((server) => {
			server.close();
		});
		expect(await check(port)).toBe(1);
	});
});

describe('bin/start.js in the image layout', () => {
	const roots: string[] = [];
	afterEach(() => {
		for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
	});

	it('runs dist/ without building when there are no sources and no TypeScript', () => {
		const root = mkdtempSync(join(tmpdir(), 'gemthread-image-'));
		roots.push(root);
		for (const folder of ['bin', 'dist', 'migrations', 'node_modules']) mkdirSync(join(root, folder));
		copyFileSync(join(ROOT, 'bin', 'start.js'), join(root, 'bin', 'start.js'));
		writeFileSync(join(root, 'package.json'), '{ "type": "module" }');
		writeFileSync(join(root, 'migrations', '001_init.sql'), 'SELECT 1;');
		writeFileSync(join(root, 'dist', 'main.js'), "process.stdout.write('bot ran\\n');");
		// As COPY may leave it: package.json and migrations/ dated after the build, then the Dockerfile's touch.
		const later = new Date(Date.now() + 60_000);
		for (const path of ['package.json', 'migrations', 'migrations/001_init.sql']) {
			utimesSync(join(root, path), later, later);
		}
		writeFileSync(join(root, 'dist', '.tsbuildinfo'), '{}');
		const latest = new Date(Date.now() + 120_000);
		utimesSync(join(root, 'dist', '.tsbuildinfo'), latest, latest);
		const run = spawnSync(process.execPath, [join(root, 'bin', 'start.js')], { cwd: root, encoding: 'utf8' });
		expect(run.stderr).toBe('');
		expect(run.stdout).toBe('bot ran\n');
		expect(run.status).toBe(0);
	});
});

describe('.dockerignore', () => {
	const ignored = read('.dockerignore')
		.split('\n')
		.map((line) => line.trim())
		.filter((line) => line !== '' && !line.startsWith('#'));

	it('keeps local state and secrets out of the build context', () => {
		for (const entry of ['node_modules', 'dist', 'data', '.env', '.git', 'coverage', '**/*.db', '**/*.db-*']) {
			expect(ignored).toContain(entry);
		}
	});

	it('does not ignore what the Dockerfile copies from the context', () => {
		for (const path of ['package.json', 'package-lock.json', 'tsconfig.json', 'src', 'migrations', 'bin']) {
			expect(ignored).not.toContain(path);
		}
	});
});

describe('compose.yaml', () => {
	// Comments dropped, so that the commented-out `ports:` example does not count.
	const compose = read('compose.yaml')
		.split('\n')
		.filter((line) => !line.trim().startsWith('#'))
		.join('\n');

	it('builds the one gemthread service from the Dockerfile and reads .env', () => {
		expect(compose).toMatch(/^services:\n {2}gemthread:\n/m);
		expect(compose).toMatch(/^ {4}build: \.$/m);
		expect(compose).toMatch(/^ {4}env_file: \.env$/m);
	});

	it('keeps the database on a named volume at /data, whatever .env says', () => {
		const volume = /^ {6}- ([\w-]+):\/data$/m.exec(compose)?.[1];
		expect(volume).toBeDefined();
		expect(compose).toMatch(new RegExp(`^volumes:\\n {2}${volume!}:`, 'm'));
		expect(compose).toMatch(/^ {6}DATABASE_PATH: \/data\/gemthread\.db$/m);
	});

	it('restarts unless stopped, waits for a clean shutdown and publishes no port', () => {
		expect(compose).toMatch(/^ {4}restart: unless-stopped$/m);
		expect(compose).toMatch(/^ {4}stop_grace_period: \d+s$/m);
		expect(compose).not.toMatch(/^\s*ports:/m);
	});

	it('has a "scaled" profile: PostgreSQL, Redis and two bot processes with a shard each, sharing both', () => {
		const service = (name: string): string => {
			const start = compose.indexOf(`\n  ${name}:\n`);
			expect(start).toBeGreaterThan(-1);
			const next = compose.slice(start + 1).search(/\n {2}\S|\n\S/);
			return compose.slice(start, next === -1 ? undefined : start + 1 + next);
		};
		for (const name of ['postgres', 'redis']) expect(service(name)).toMatch(/profiles: \[scaled\]/);
		expect(compose).toMatch(/^x-scaled-bot: &scaled-bot\n(?: {2}.*\n)*? {2}profiles: \[scaled\]$/m);
		expect(service('gemthread-shard-0')).toMatch(/DATABASE_URL: postgres:\/\/.*@postgres:5432\//);
		expect(service('gemthread-shard-0')).toMatch(/REDIS_URL: redis:\/\/redis:6379/);
		expect(service('gemthread-shard-0')).toMatch(/SHARD_COUNT: 2\n\s+SHARD_IDS: 0\n/);
		expect(service('gemthread-shard-1')).toMatch(/<<: \*scaled-environment\n\s+SHARD_IDS: 1\n/);
		// The single bot keeps no profile: `docker compose up -d` still starts it alone.
		expect(service('gemthread')).not.toMatch(/profiles:/);
	});

	it('keeps the health server on loopback, and its example for publishing the port opens it on the host only', () => {
		expect(compose).not.toMatch(/HEALTH_HOST/);
		// Uncommented, the example must both publish the port on the host's loopback and let the server accept it.
		const example = read('compose.yaml').replace(/^( *)# ( *(HEALTH_HOST:|ports:|- '))/gm, '$1$2');
		expect(example).toMatch(/^ {6}HEALTH_HOST: 0\.0\.0\.0$/m);
		expect(example).toMatch(/^ {4}ports:\n {6}- '127\.0\.0\.1:8080:8080'$/m);
	});
});
