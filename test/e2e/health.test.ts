import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { mention, waitForReplies } from '../support/conversation.js';
import type { TestBot } from '../support/start-test-bot.js';
import { useTestBot } from '../support/use-test-bot.js';
import { freePort, listening, startWithHealth as startHealthBot } from '../support/health-bot.js';

const start = useTestBot();
const startWithHealth = (env: Record<string, string> = {}) => startHealthBot(start, env);
const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const TSX_LOADER = createRequire(import.meta.url).resolve('tsx');

const localAddresses = Object.values(networkInterfaces()).flatMap((addresses) => addresses ?? []);
/**
 * An address of this machine other than 127.0.0.1, as another host would reach it: a network interface's, or on
 * Linux (where all of 127.0.0.0/8 is loopback) 127.0.0.2.
 */
const otherLocalAddress =
	localAddresses.find((address) => address.family === 'IPv4' && !address.internal)?.address ??
	(process.platform === 'linux' ? '127.0.0.2' : undefined);
/** Documentation addresses (RFC 5737), none of them this machine's. */
const foreignAddress = ['203.0.113.1', '198.51.100.1', '192.0.2.1'].find(
	(candidate) => !localAddresses.some((address) => address.address === candidate),
)!;

/** What the bot logged when its health server started listening. */
function listeningLog(t: TestBot): unknown {
	const line = t.logLines.find((text) => text.includes('"msg":"health check listening"'));
	return line === undefined ? undefined : JSON.parse(line);
}

/** The status of GET /healthz on `address`, or the connection error's code. */
async function reach(address: string, port: number): Promise<number | string> {
	try {
		const response = await fetch(`http://${address}:${port}/healthz`, { signal: AbortSignal.timeout(5_000) });
		await response.body?.cancel();
		return response.status;
	} catch (error) {
		const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
		return cause?.code ?? String(error);
	}
}

describe('GET /healthz', () => {
	it('answers 200 with the gateway connected, the database writable and the queue empty', async () => {
		const { health } = await startWithHealth();
		expect(await health()).toEqual({
			status: 200,
			body: { status: 'ok', gateway: 'connected', database: 'writable', queue: { waiting: 0, running: 0 } },
		});
		expect(await health('/healthz?probe=1')).toMatchObject({ status: 200 });
		expect(await health('/healthz', { method: 'HEAD' })).toEqual({ status: 200, body: undefined });
	});

	it('answers 404 on any other path and 405 to anything but GET and HEAD', async () => {
		const { health } = await startWithHealth();
		for (const path of ['/', '/health', '/healthz/', '/metrics']) {
			expect(await health(path)).toEqual({ status: 404, body: { error: 'not found' } });
		}
		expect(await health('/healthz', { method: 'POST' })).toEqual({
			status: 405,
			body: { error: 'method not allowed' },
		});
	});

	it('turns 503 "disconnected" when Discord\'s gateway goes away', async () => {
		const { t, health } = await startWithHealth();
		await t.discord.close();
		await vi.waitFor(async () => {
			expect(await health()).toEqual({
				status: 503,
				body: { status: 'unhealthy', gateway: 'disconnected', database: 'writable', queue: { waiting: 0, running: 0 } },
			});
		}, 5_000);
	});

	it('turns 503 "disconnected" once the client is destroyed', async () => {
		const { t, health } = await startWithHealth();
		await t.bot.client.destroy();
		expect(await health()).toMatchObject({ status: 503, body: { status: 'unhealthy', gateway: 'disconnected' } });
	});

	it('shows model calls running and waiting', async () => {
		const { t, health } = await startWithHealth({ GEMINI_CONCURRENCY: '1' });
		// Long enough that the second question is still waiting when the health check is read, even on a busy machine.
		t.gemini.respondWith(() => ({ kind: 'reply', chunks: ['a ', 'slow ', 'long ', 'answer'], chunkDelayMs: 600 }));
		const first = await mention(t, 'first question');
		const second = await mention(t, 'second question', t.discord.users.bob);
		await vi.waitFor(async () => {
			expect(await health()).toMatchObject({ status: 200, body: { queue: { waiting: 1, running: 1 } } });
		}, 5_000);
		await Promise.all([waitForReplies(t, first.thread.id, 1), waitForReplies(t, second.thread.id, 1)]);
		expect(await health()).toMatchObject({ body: { queue: { waiting: 0, running: 0 } } });
	});

	it('closes the port when the bot stops', async () => {
		const { t, url, health } = await startWithHealth();
		expect(await health()).toMatchObject({ status: 200 });
		await t.bot.stop(1_000);
		const refused = await fetch(url).then(
			() => undefined,
			(error: unknown) => (error instanceof Error ? error.cause : error),
		);
		expect(refused).toMatchObject({ code: 'ECONNREFUSED' });
	});

	it('fails start-up in one line naming HEALTH_PORT when the port is taken', async ({ onTestFinished }) => {
		const t = await start();
		const squatter = createServer();
		const port = await listening(squatter);
		onTestFinished(() => {
			squatter.close();
		});
		expect(await startChild(t, { HEALTH_PORT: String(port) }, onTestFinished)).toEqual({
			code: 1,
			stderr: `gemthread cannot start: HEALTH_PORT ${port} is already in use on 127.0.0.1: pick a free port, or unset HEALTH_PORT to turn the health check off.\n`,
		});
	});

	it('fails start-up in one line naming HEALTH_HOST when it is not an address of this machine', async ({
		onTestFinished,
	}) => {
		const t = await start();
		const port = await freePort();
		expect(await startChild(t, { HEALTH_PORT: String(port), HEALTH_HOST: foreignAddress }, onTestFinished)).toEqual({
			code: 1,
			stderr: `gemthread cannot start: HEALTH_HOST ${foreignAddress} is not an address of this machine: use 127.0.0.1, 0.0.0.0 or one of its own addresses.\n`,
		});
	});
});

describe('who can reach /healthz', () => {
	it('listens on 127.0.0.1 only by default', async () => {
		const { t, port } = await startWithHealth();
		expect(listeningLog(t)).toMatchObject({ host: '127.0.0.1', port });
		expect(await reach('127.0.0.1', port)).toBe(200);
		if (otherLocalAddress !== undefined) expect(await reach(otherLocalAddress, port)).toBe('ECONNREFUSED');
	});

	it('listens on every interface with HEALTH_HOST=0.0.0.0', async () => {
		const { t, port } = await startWithHealth({ HEALTH_HOST: '0.0.0.0' });
		expect(listeningLog(t)).toMatchObject({ host: '0.0.0.0', port });
		expect(await reach('127.0.0.1', port)).toBe(200);
		if (otherLocalAddress !== undefined) expect(await reach(otherLocalAddress, port)).toBe(200);
	});

	it('probes the database at most once a second however fast it is asked, and again after that', async () => {
		const { t, health } = await startWithHealth();
		const probe = vi.spyOn(t.bot.stores.database, 'probe');
		const probes = () => probe.mock.calls.length;

		const started = performance.now();
		const answers = await Promise.all(Array.from({ length: 50 }, () => health()));
		const elapsedMs = performance.now() - started;
		for (const answer of answers) expect(answer).toMatchObject({ status: 200, body: { database: 'writable' } });
		// Bounded by the time the burst took, so a slow machine cannot make this fail: one probe, plus one per second.
		const burst = probes();
		expect(burst).toBeGreaterThanOrEqual(1);
		expect(burst).toBeLessThanOrEqual(Math.floor(elapsedMs / 1_000) + 1);

		await vi.waitFor(async () => {
			expect(await health()).toMatchObject({ status: 200 });
			expect(probes()).toBeGreaterThan(burst);
		}, 5_000);
	});
});

/** Runs the bot in its own process against `t`'s fakes, with its own database, until it exits. */
async function startChild(
	t: TestBot,
	env: Record<string, string>,
	onTestFinished: (cleanup: () => void) => void,
): Promise<{ code: number | null; stderr: string }> {
	const directory = mkdtempSync(join(tmpdir(), 'gemthread-health-'));
	const child = spawn(process.execPath, ['--import', TSX_LOADER, MAIN], {
		cwd: directory,
		env: {
			PATH: process.env['PATH'] ?? '',
			...t.environment,
			DATABASE_PATH: join(directory, 'bot.db'),
			LOG_LEVEL: 'silent',
			...env,
		},
	});
	onTestFinished(() => {
		child.kill('SIGKILL');
		rmSync(directory, { recursive: true, force: true });
	});
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const [code] = (await once(child, 'exit')) as [number | null];
	return { code, stderr };
}
