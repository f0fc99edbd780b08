import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendBytes, sendNotFound } from './cdn-stream.js';

export type FakeCdnFile = { data: Buffer; contentType?: string };

export type FakeCdnServer = {
	/** `http://127.0.0.1:PORT`, a different origin from the fake Discord's. */
	readonly origin: string;
	readonly requests: readonly { method: string; path: string; status: number; at: number }[];
	/** The absolute URL of `path` (which starts with `/`). */
	url(path: string): string;
	serve(path: string, file: FakeCdnFile): void;
	close(): Promise<void>;
};

/** A standalone HTTP server serving fixed bytes at fixed paths, for attachment URLs on another origin. */
export async function startFakeCdn(files: Record<string, FakeCdnFile> = {}): Promise<FakeCdnServer> {
	const served = new Map(Object.entries(files));
	const requests: { method: string; path: string; status: number; at: number }[] = [];
	const server = createServer((request, response) => {
		const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
		const file = served.get(path);
		const status = file
			? sendBytes(request, response, { data: file.data, contentType: file.contentType ?? 'application/octet-stream' })
			: sendNotFound(response);
		requests.push({ method: request.method ?? 'GET', path, status, at: Date.now() });
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	let closing: Promise<void> | undefined;
	return {
		origin,
		requests,
		url: (path) => `${origin}${path}`,
		serve: (path, file) => {
			served.set(path, file);
		},
		close: () => {
			closing ??= new Promise<void>((resolve) => {
				server.close(() => {
					resolve();
				});
				server.closeAllConnections();
			});
			return closing;
		},
	};
}
