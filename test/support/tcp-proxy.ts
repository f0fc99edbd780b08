import { once } from 'node:events';
import type { Server, Socket } from 'node:net';
import { connect, createServer } from 'node:net';

/** A TCP proxy on 127.0.0.1 whose link a test can cut (refusing and dropping connections) and restore. */
export type TcpProxy = {
	readonly port: number;
	/** Drops every connection and stops listening: clients get ECONNREFUSED, as from a server that went away. */
	cut(): Promise<void>;
	/** Listens again on the same port. */
	restore(): Promise<void>;
	close(): Promise<void>;
};

/**
 * `jitterMs`: each chunk a client sends waits a random 0–jitterMs before it goes on (in order within a connection),
 * so that statements sent at once on different connections reach the server in any order, as on a busy network.
 */
export async function startTcpProxy(
	target: { host: string; port: number },
	options: { readonly jitterMs?: number } = {},
): Promise<TcpProxy> {
	const sockets = new Set<Socket>();
	let server: Server | undefined;
	const listen = async (port: number): Promise<number> => {
		const next = createServer((client) => {
			const upstream = connect(target.port, target.host);
			for (const socket of [client, upstream]) {
				sockets.add(socket);
				socket.on('close', () => sockets.delete(socket));
				socket.on('error', () => undefined);
			}
			upstream.pipe(client);
			if (options.jitterMs === undefined) client.pipe(upstream);
			else forwardWithJitter(client, upstream, options.jitterMs);
		});
		next.listen(port, '127.0.0.1');
		await once(next, 'listening');
		server = next;
		const address = next.address();
		return typeof address === 'object' && address !== null ? address.port : port;
	};
	const port = await listen(0);
	const cut = async (): Promise<void> => {
		const closing = server;
		server = undefined;
		for (const socket of sockets) socket.destroy();
		if (closing) {
			await new Promise<void>((resolve) => {
				closing.close(() => {
					resolve();
				});
			});
		}
	};
	return {
		port,
		cut,
		async restore() {
			if (!server) await listen(port);
		},
		close: cut,
	};
}

function forwardWithJitter(from: Socket, to: Socket, jitterMs: number): void {
	let queue = Promise.resolve();
	from.on('data', (chunk: Buffer) => {
		queue = queue
			.then(() => new Promise<void>((resolve) => setTimeout(resolve, Math.random() * jitterMs)))
			.then(() => {
				if (!to.destroyed) to.write(chunk);
			});
	});
	from.on('end', () => {
		void queue.then(() => to.end());
	});
}
