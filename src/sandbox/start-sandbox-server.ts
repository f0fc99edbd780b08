import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { FakeDiscord } from '../emulator/discord/index.js';
import type { SandboxApiDeps } from './sandbox-api.js';
import { createSandboxApi } from './sandbox-api.js';

/** The page's files: the same folder whether this runs from src/ (tsx) or from dist/ (a build). */
const PAGE = fileURLToPath(new URL('../../src/sandbox/page/', import.meta.url));
const PAGE_TYPES: Record<string, string> = {
	html: 'text/html; charset=utf-8',
	js: 'text/javascript; charset=utf-8',
	css: 'text/css; charset=utf-8',
};

/** The page file a path names (`/` is index.html), or undefined: only plain names in that one folder. */
function pageFile(path: string): { file: string; type: string } | undefined {
	const name = path === '/' ? 'index.html' : /^\/([a-z-]+\.(?:js|css))$/.exec(path)?.[1];
	const type = PAGE_TYPES[name?.split('.').pop() ?? ''];
	return name === undefined || type === undefined ? undefined : { file: name, type };
}

export type SandboxServer = { readonly url: string; close(): Promise<void> };

/** Server-sent events: one `change` after every change in the emulator (at most one per event-loop turn). */
function streamChanges(discord: FakeDiscord, response: ServerResponse): void {
	response.writeHead(200, {
		'Content-Type': 'text/event-stream',
		'Cache-Control': 'no-store',
		Connection: 'keep-alive',
	});
	response.write('retry: 1000\n\n');
	let pending = false;
	const unsubscribe = discord.onChange(() => {
		if (pending) return;
		pending = true;
		setImmediate(() => {
			pending = false;
			response.write('data: change\n\n');
		});
	});
	response.on('close', unsubscribe);
}

/** The page and its API on `host:port` (127.0.0.1 unless the owner asks otherwise). */
export async function startSandboxServer(
	deps: SandboxApiDeps & { readonly host: string; readonly port: number },
): Promise<SandboxServer> {
	const api = createSandboxApi(deps);
	const server = createServer((request, response) => {
		const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
		const page = pageFile(path);
		if (page) {
			readFile(`${PAGE}${page.file}`).then(
				(content) => {
					response.writeHead(200, { 'Content-Type': page.type, 'Cache-Control': 'no-store' });
					response.end(content);
				},
				() => {
					response.writeHead(500).end('the sandbox page is missing from src/sandbox/page');
				},
			);
			return;
		}
		if (path === '/api/events') {
			streamChanges(deps.discord, response);
			return;
		}
		api(request, response).then(
			(handled) => {
				if (!handled) response.writeHead(404).end('not found');
			},
			() => {
				response.destroy();
			},
		);
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(deps.port, deps.host, resolve);
	});
	const { port } = server.address() as AddressInfo;
	const host = deps.host.includes(':') ? `[${deps.host}]` : deps.host;
	return {
		url: `http://${host}:${port}/`,
		close: () =>
			new Promise((resolve) => {
				server.close(() => {
					resolve();
				});
				server.closeAllConnections();
			}),
	};
}
