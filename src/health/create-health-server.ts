import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log/logger.js';
import type { HealthReport } from './health-report.js';

export type HealthServerOptions = {
	/** TCP port; 0 takes a free one (tests). */
	readonly port: number;
	/**
	 * Address to listen on (HEALTH_HOST). Loopback by default: every request runs `check`, so only this machine should
	 * reach it unless asked; Docker's HEALTHCHECK calls 127.0.0.1 inside the container. @default '127.0.0.1'
	 */
	readonly host?: string;
	/** Runs on every request, synchronously: pass a cached one when it is not cheap. */
	readonly check: () => Promise<HealthReport>;
	readonly logger: Logger;
};

export type HealthServer = {
	/** Resolves with the bound port; rejects with one line naming HEALTH_PORT or HEALTH_HOST when it cannot listen. */
	readonly listening: Promise<{ port: number }>;
	close(): Promise<void>;
};

const PATH = '/healthz';
// A monitor's request is a few bytes: no reason to hold a socket open for Node's default of minutes.
const REQUEST_TIMEOUT_MS = 5_000;

/** `GET /healthz`: the report as JSON, 200 when healthy and 503 when not; any other path is a 404. */
export function createHealthServer(options: HealthServerOptions): HealthServer {
	const { port, host = '127.0.0.1', check, logger } = options;
	const server = createServer((request, response) => {
		if (request.url?.split('?')[0] !== PATH) {
			send(response, 404, { error: 'not found' });
			return;
		}
		if (request.method !== 'GET' && request.method !== 'HEAD') {
			response.setHeader('Allow', 'GET, HEAD');
			send(response, 405, { error: 'method not allowed' });
			return;
		}
		check().then(
			(report) => {
				send(response, report.status === 'unhealthy' ? 503 : 200, report);
			},
			(error: unknown) => {
				logger.warn({ err: error }, 'health check failed');
				send(response, 503, { status: 'unhealthy' });
			},
		);
	});
	server.requestTimeout = REQUEST_TIMEOUT_MS;
	server.headersTimeout = REQUEST_TIMEOUT_MS;

	const listening = new Promise<{ port: number }>((resolve, reject) => {
		const fail = (error: NodeJS.ErrnoException): void => {
			reject(new Error(listenProblem(port, host, error), { cause: error }));
		};
		server.once('error', fail);
		server.listen(port, host, () => {
			server.off('error', fail);
			server.on('error', (error) => {
				logger.warn({ err: error }, 'health check server error');
			});
			// The address actually bound, which for a host name says which of its addresses that was.
			const bound = server.address() as AddressInfo;
			logger.info({ port: bound.port, host: bound.address }, 'health check listening');
			resolve({ port: bound.port });
		});
	});
	let closed: Promise<void> | undefined;

	return {
		listening,
		close() {
			closed ??= new Promise<void>((resolve) => {
				if (!server.listening) {
					resolve();
					return;
				}
				server.close(() => {
					resolve();
				});
				// Monitors keep connections alive; close() alone would wait for them.
				server.closeAllConnections();
			});
			return closed;
		},
	};
}

// Node leaves the body out of a HEAD response by itself.
function send(response: ServerResponse, status: number, body: object): void {
	const json = JSON.stringify(body);
	response.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': Buffer.byteLength(json),
		'Cache-Control': 'no-store',
	});
	response.end(json);
}

function listenProblem(port: number, host: string, error: NodeJS.ErrnoException): string {
	if (error.code === 'EADDRINUSE') {
		return `HEALTH_PORT ${port} is already in use on ${host}: pick a free port, or unset HEALTH_PORT to turn the health check off.`;
	}
	if (error.code === 'EADDRNOTAVAIL') {
		return `HEALTH_HOST ${host} is not an address of this machine: use 127.0.0.1, 0.0.0.0 or one of its own addresses.`;
	}
	if (error.code === 'ENOTFOUND') {
		return `HEALTH_HOST ${host} does not resolve to an address: use 127.0.0.1, 0.0.0.0 or a name this machine knows.`;
	}
	if (error.code === 'EACCES') {
		return `HEALTH_PORT ${port} needs privileges this process lacks on ${host}: use a port above 1023.`;
	}
	return `HEALTH_PORT ${port} cannot be opened on ${host}: ${error.message}`;
}
