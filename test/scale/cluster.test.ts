import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startFakeDiscord } from '../../src/emulator/discord/index.js';
import { startFakeGemini } from '../fakes/fake-gemini/index.js';
import { createTestSchema, POSTGRES_TESTS_RUN } from '../support/postgres.js';
import { REDIS_TESTS_RUN, testKeyPrefix, TEST_REDIS_URL } from '../support/redis.js';

const CLUSTER = fileURLToPath(new URL('../../src/scripts/cluster.ts', import.meta.url));
const TSX_LOADER = createRequire(import.meta.url).resolve('tsx');

type LogLine = { msg?: string; pid?: number; worker?: string; SHARD_IDS?: string; shards?: number[] };

describe.runIf(POSTGRES_TESTS_RUN && REDIS_TESTS_RUN)('npm run cluster', () => {
	it('starts CLUSTER_PROCESSES processes with a share of the shards each, restarts one that dies, stops them all', async ({
		onTestFinished,
	}) => {
		const discord = await startFakeDiscord({ recommendedShards: 4, maxConcurrency: 4 });
		const gemini = await startFakeGemini();
		const schema = await createTestSchema();
		const directory = mkdtempSync(join(tmpdir(), 'gemthread-cluster-'));
		onTestFinished(async () => {
			await Promise.all([discord.close(), gemini.close(), schema.drop()]);
			rmSync(directory, { recursive: true, force: true });
		});
		const cluster = spawn(process.execPath, ['--import', TSX_LOADER, CLUSTER], {
			cwd: directory,
			env: {
				PATH: process.env['PATH'] ?? '',
				LOG_LEVEL: 'info',
				DISCORD_TOKEN: discord.token,
				DISCORD_API_BASE: discord.apiBase,
				GEMINI_API_KEY: gemini.apiKey,
				GEMINI_BASE_URL: gemini.url,
				DATABASE_URL: schema.url,
				REDIS_URL: TEST_REDIS_URL,
				REDIS_KEY_PREFIX: testKeyPrefix('cluster'),
				CLUSTER_PROCESSES: '2',
			},
		});
		onTestFinished(() => {
			if (cluster.exitCode === null) cluster.kill('SIGKILL');
		});
		let output = '';
		cluster.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
		const lines = (): LogLine[] =>
			output
				.split('\n')
				.filter((line) => line.startsWith('{'))
				.map((line) => JSON.parse(line) as LogLine);
		const ready = () => lines().filter((line) => line.msg === 'ready').length;

		await discord.waitFor(() => ready() === 2, { description: 'both processes ready', timeoutMs: 20_000 });
		const started = lines().filter((line) => line.msg === 'cluster process started');
		expect(started.map((line) => line.SHARD_IDS)).toEqual(['0-1', '2-3']);
		const shards = lines()
			.filter((line) => line.msg === 'logged in to Discord')
			.map((line) => line.shards);
		expect(shards).toEqual(
			expect.arrayContaining([
				[0, 1],
				[2, 3],
			]),
		);
		expect(discord.gatewayConnections.map((connection) => connection.shard?.[0]).sort()).toEqual([0, 1, 2, 3]);

		// A process that dies (killed here) is started again with the same shards.
		const victim = started.find((line) => line.SHARD_IDS === '2-3')?.pid;
		expect(victim).toBeDefined();
		process.kill(victim!, 'SIGKILL');
		await discord.waitFor(() => ready() === 3, { description: 'the killed process back', timeoutMs: 20_000 });
		expect(lines().filter((line) => line.msg === 'cluster process exited: restarting it')).toHaveLength(1);
		expect(
			lines()
				.filter((line) => line.msg === 'cluster process started')
				.at(-1)?.SHARD_IDS,
		).toBe('2-3');

		const exited = once(cluster, 'exit');
		cluster.kill('SIGTERM');
		const [code] = (await exited) as [number | null];
		expect(code).toBe(0);
		expect(lines().filter((line) => line.msg === 'stopped')).toHaveLength(2);
	});
});
