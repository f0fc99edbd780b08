import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { mention, waitForReplies } from '../support/conversation.js';
import { useTestBot } from '../support/use-test-bot.js';

const start = useTestBot();
const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const TSX_LOADER = createRequire(import.meta.url).resolve('tsx');

async function listening(server: Server, port = 0): Promise<number> {
	server.listen(port, '127.0.0.1');
	await once(server, 'listening');
	return (server.address() as AddressInfo).port;
}

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
	const server = createServer();
	const port = await listening(server);
	server.close();
	await once(server, 'close');
	return port;
}

async function startWithHealth(env: Record<string, string> = {}) {
	const port = await freePort();
	const t = await start({ HEALTH_PORT: String(port), ...env });
	const url = `http://127.0.0.1:${port}/healthz`;
	const health = async (path = '/healthz', init?: RequestInit) => {
		const response = await fetch(new URL(path, url), init);
		const text = await response.text();
		return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
	};
	return { t, url, health };
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

	it('turns 503 while another process holds the database write lock, and 200 once it lets go', async () => {
		const { t, health } = await startWithHealth();
		const other = new Database(t.databasePath);
		try {
			other.exec('BEGIN IMMEDIATE');
			expect(await health()).toEqual({
				status: 503,
				body: {
					status: 'unhealthy',
					gateway: 'connected',
					database: 'database is locked',
					queue: { waiting: 0, running: 0 },
				},
			});
			other.exec('ROLLBACK');
			expect(await health()).toMatchObject({ status: 200, body: { database: 'writable' } });
		} finally {
			other.close();
		}
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
		const directory = mkdtempSync(join(tmpdir(), 'gemthread-health-'));
		// The child logs in to the same fake Discord with its own database, then finds the port taken.
		const child = spawn(process.execPath, ['--import', TSX_LOADER, MAIN], {
			cwd: directory,
			env: {
				PATH: process.env['PATH'] ?? '',
				...t.environment,
				DATABASE_PATH: join(directory, 'bot.db'),
				HEALTH_PORT: String(port),
				LOG_LEVEL: 'silent',
			},
		});
		onTestFinished(() => {
			child.kill('SIGKILL');
			squatter.close();
			rmSync(directory, { recursive: true, force: true });
		});
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const [code] = (await once(child, 'exit')) as [number | null];
		expect(code).toBe(1);
		expect(stderr).toBe(
			`gemthread cannot start: HEALTH_PORT ${port} is already in use on 0.0.0.0: pick a free port, or unset HEALTH_PORT to turn the health check off.\n`,
		);
	});
});
