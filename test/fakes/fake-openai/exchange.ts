import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FakeOpenAiState } from './fake-openai-state.js';
import type { HttpFailure } from './openai-error.js';

const JSON_CONTENT_TYPE = 'application/json';

/** One request/response pair, with the bookkeeping for stats and for ending it from either side. */
export type Exchange = {
	/** Aborts when the response closes: finished, dropped, aborted by the client, or close(). */
	readonly signal: AbortSignal;
	/** Sent with whatever response goes out next (e.g. `x-ratelimit-*`). */
	addHeaders(headers: Record<string, string>): void;
	sendJson(status: number, body: unknown): void;
	sendError(failure: HttpFailure): void;
	/** Sends the 200 SSE headers and counts the stream as open until the response closes. */
	openStream(): void;
	/** One SSE event: `data: <data>\n\n`, as OpenAI frames them. */
	writeData(data: string): void;
	/** Sends a 200 JSON head and a partial body, for drop scenarios on unary requests. */
	startJson(partialBody: string): void;
	end(): void;
	/** Destroys the socket from the server side (not counted as a client abort). */
	drop(): void;
	/** Waits `ms`, or less if the response closes meanwhile. */
	pause(ms: number): Promise<void>;
	/** Resolves when the response closes (e.g. the client aborts or close() runs). */
	closed(): Promise<void>;
};

export function createExchange(state: FakeOpenAiState, request: IncomingMessage, response: ServerResponse): Exchange {
	const controller = new AbortController();
	const generation = state.generation;
	const headers: Record<string, string> = { 'x-request-id': `req_${randomBytes(16).toString('hex')}` };
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
	const writeHead = (status: number, contentType: string, extra: Record<string, string> = {}) => {
		response.writeHead(status, { ...headers, ...extra, 'content-type': contentType });
	};
	const sendJson = (status: number, body: unknown, extra?: Record<string, string>) => {
		if (!writable()) return;
		writeHead(status, JSON_CONTENT_TYPE, extra);
		response.end(JSON.stringify(body));
	};
	return {
		signal: controller.signal,
		addHeaders(extra) {
			Object.assign(headers, extra);
		},
		sendJson,
		sendError(failure) {
			if (failure.status === 429) state.stats.served429 += 1;
			sendJson(failure.status, { error: failure.error }, failure.headers);
		},
		openStream() {
			if (!writable() || response.headersSent) return;
			writeHead(200, 'text/event-stream; charset=utf-8', { 'cache-control': 'no-cache' });
			response.flushHeaders();
			streamOpen = true;
			state.stats.openStreams += 1;
			state.stats.maxConcurrentStreams = Math.max(state.stats.maxConcurrentStreams, state.stats.openStreams);
		},
		writeData(data) {
			if (writable()) response.write(`data: ${data}\n\n`);
		},
		startJson(partialBody) {
			if (!writable()) return;
			writeHead(200, JSON_CONTENT_TYPE);
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
