import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestBot } from './start-test-bot.js';

export async function listening(server: Server, port = 0): Promise<number> {
	server.listen(port, '127.0.0.1');
	await once(server, 'listening');
	return (server.address() as AddressInfo).port;
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
	const server = createServer();
	const port = await listening(server);
	server.close();
	await once(server, 'close');
	return port;
}

/** A test bot with HEALTH_PORT set, and a function that asks its health check (status and parsed body). */
export async function startWithHealth(
	start: (env: Record<string, string>) => Promise<TestBot>,
	env: Record<string, string> = {},
) {
	const port = await freePort();
	const t = await start({ HEALTH_PORT: String(port), ...env });
	const url = `http://127.0.0.1:${port}/healthz`;
	const health = async (path = '/healthz', init?: RequestInit) => {
		const response = await fetch(new URL(path, url), init);
		const text = await response.text();
		return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
	};
	return { t, port, url, health };
}
