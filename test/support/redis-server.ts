import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './health-bot.js';

/** A redis-server of a test's own (nothing kept on disk), to stop and start again on the same port. */
export type RedisServer = {
	readonly port: number;
	readonly url: string;
	/** Kills it, as a crash would. */
	stop(): Promise<void>;
	start(): Promise<void>;
};

export async function startRedisServer(extraArguments: readonly string[] = []): Promise<RedisServer> {
	const port = await freePort();
	let child: ChildProcess | undefined;
	const server: RedisServer = {
		port,
		url: `redis://127.0.0.1:${port}`,
		async start() {
			const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
			const started = spawn('redis-server', [...args, ...extraArguments], { stdio: 'ignore' });
			child = started;
			await untilListening(port, started).catch((error: unknown) => {
				started.kill('SIGKILL');
				throw error;
			});
		},
		async stop() {
			const running = child;
			child = undefined;
			if (!running || running.exitCode !== null) return;
			const exited = once(running, 'exit');
			running.kill('SIGKILL');
			await exited;
		},
	};
	await server.start();
	return server;
}

async function untilListening(port: number, child: ChildProcess): Promise<void> {
	for (let attempt = 0; attempt < 250; attempt += 1) {
		if (child.exitCode !== null) throw new Error(`redis-server on port ${port} exited with ${child.exitCode}`);
		if (await accepts(port)) return;
		await sleep(20);
	}
	throw new Error(`redis-server on port ${port} did not start`);
}

function accepts(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect(port, '127.0.0.1');
		const settle = (connected: boolean): void => {
			socket.destroy();
			resolve(connected);
		};
		socket.once('connect', () => {
			settle(true);
		});
		socket.once('error', () => {
			settle(false);
		});
	});
}
