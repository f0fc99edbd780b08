import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FakeGeminiState } from './fake-gemini-state.js';
import { errorBodyOf } from './google-error.js';
import type { GoogleError } from './google-error.js';
import type { ErrorContentType } from './types.js';

/** One request/response pair, with the bookkeeping for stats and for ending it from either side. */
export type Exchange = {
	/** Aborts when the response closes: finished, dropped, aborted by the client, or close(). */
	readonly signal: AbortSignal;
	sendJson(status: number, body: unknown): void;
	sendRaw(status: number, contentType: string, body: string): void;
	sendError(error: GoogleError, contentType: ErrorContentType): void;
	/** Sends the 200 SSE headers and counts the stream as open until the response closes. */
	openStream(): void;
	writeEvent(data: string): void;
	/** Sends a 200 with `contentType` and a partial body, for drop scenarios on unary routes. */
	startBody(contentType: string, partialBody: string): void;
	end(): void;
	/** Destroys the socket from the server side (not counted as a client abort). */
	drop(): void;
	/** Waits `ms`, or less if the response closes meanwhile. */
	pause(ms: number): Promise<void>;
	/** Resolves when the response closes (e.g. the client aborts or close() runs). */
	closed(): Promise<void>;
};

export function createExchange(state: FakeGeminiState, request: IncomingMessage, response: ServerResponse): Exchange {
	const controller = new AbortController();
	const generation = state.generation;
	let streamOpen = false;
	let dropped = false;
	response.on('close', () => {
		controller.abort();
		// reset() keeps openStreams (they are still open) but must not count aborts of older connections.
		if (streamOpen) state.stats.openStreams -= 1;
		const current = generation === state.generation;
		if (!response.writableFinished && !dropped && !state.closing && current) state.stats.clientAborts += 1;
	});
	const writable = () => !response.destroyed && !response.writableEnded;
	const send = (status: number, contentType: string, body: string) => {
		if (!writable()) return;
		response.writeHead(status, { 'content-type': contentType });
		response.end(body);
	};
	return {
		signal: controller.signal,
		sendJson: (status, body) => {
			send(status, 'application/json; charset=UTF-8', JSON.stringify(body, null, 2));
		},
		sendRaw: send,
		sendError(error, contentType) {
			if (error.code === 429) state.stats.served429 += 1;
			send(
				error.code,
				contentType === 'json' ? 'application/json; charset=UTF-8' : 'text/event-stream',
				errorBodyOf(error),
			);
		},
		openStream() {
			if (!writable() || response.headersSent) return;
			response.writeHead(200, { 'content-type': 'text/event-stream', 'content-disposition': 'attachment' });
			response.flushHeaders();
			streamOpen = true;
			state.stats.openStreams += 1;
			state.stats.maxConcurrentStreams = Math.max(state.stats.maxConcurrentStreams, state.stats.openStreams);
		},
		writeEvent(data) {
			if (writable()) response.write(`data: ${data}\r\n\r\n`);
		},
		startBody(contentType, partialBody) {
			if (!writable()) return;
			response.writeHead(200, { 'content-type': contentType });
			response.write(partialBody);
		},
		end() {
			if (writable()) response.end();
		},
		drop() {
			dropped = true;
			request.socket.destroy();
		},
		async pause(ms) {
			if (controller.signal.aborted) return;
			await sleep(ms, undefined, { signal: controller.signal }).catch(() => undefined);
		},
		closed() {
			if (controller.signal.aborted) return Promise.resolve();
			return new Promise((resolve) => {
				controller.signal.addEventListener('abort', () => {
					resolve();
				});
			});
		},
	};
}
