import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

const CHUNK_BYTES = 64 * 1024;

/** What Discord's CDN answers for expired, unsigned or unknown links. */
export function sendNotFound(response: ServerResponse): number {
	response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('This content is no longer available.');
	return 404;
}

async function trickle(response: ServerResponse, data: Buffer, delayMs: number): Promise<void> {
	// An object, so that the close listener's write is visible to the type checker across the awaits.
	const connection = { open: true };
	response.once('close', () => {
		connection.open = false;
	});
	for (let offset = 0; offset < data.length; offset += CHUNK_BYTES) {
		await sleep(delayMs, undefined, { ref: false });
		if (!connection.open) return;
		response.write(data.subarray(offset, offset + CHUNK_BYTES));
	}
	if (connection.open) response.end();
}

/** 200 with `Content-Type` and `Content-Length`; HEAD gets the headers only; a delay streams 64 KiB chunks slowly. */
export function sendBytes(
	request: IncomingMessage,
	response: ServerResponse,
	body: { data: Buffer; contentType: string; chunkDelayMs?: number },
): number {
	response.writeHead(200, { 'Content-Type': body.contentType, 'Content-Length': String(body.data.length) });
	if (request.method === 'HEAD') response.end();
	else if ((body.chunkDelayMs ?? 0) <= 0) response.end(body.data);
	else {
		response.flushHeaders();
		void trickle(response, body.data, body.chunkDelayMs ?? 0);
	}
	return 200;
}
