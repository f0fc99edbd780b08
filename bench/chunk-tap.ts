import { createServer, request as forward } from 'node:http';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request that passed through the tap, with the time each server-sent event reached it. */
export type TappedExchange = {
	readonly path: string;
	readonly startedAt: number;
	/** The request body as sent by the bot (the prompt JSON). */
	requestBody: string;
	status: number | undefined;
	/** Date.now() when each complete SSE event (`data: …` and a blank line) arrived from the fake model. */
	readonly eventTimes: number[];
	/** Each event's text as sent (`data: {…}`), in the order of `eventTimes`. */
	readonly events: string[];
	endedAt: number | undefined;
};

export type ChunkTap = {
	/** `http://127.0.0.1:PORT`, to pass as GEMINI_BASE_URL (or `${url}/v1` as OPENAI_BASE_URL) instead of the fake's. */
	readonly url: string;
	/** Every exchange in arrival order (live array). */
	readonly exchanges: readonly TappedExchange[];
	/** Where to forward to; set once the fake model is listening (before the bot's first model call). */
	setUpstream(url: string): void;
	/** The first exchange whose request body contains `marker` (e.g. a unique phrase of the member's message). */
	find(marker: string): TappedExchange | undefined;
	close(): Promise<void>;
};

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host']);
// Gemini ends an event with \r\n\r\n, OpenAI with \n\n; SSE allows either (and \r\r).
const EVENT_END = /\r\n\r\n|\n\n|\r\r/;

function endToEndHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
	return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())));
}

/**
 * A pass-through HTTP proxy in front of the fake model (Gemini or OpenAI-compatible) that timestamps every streamed
 * event as it leaves the fake: the clock for "when did the model's first / last chunk become available to the bot".
 */
export async function startChunkTap(): Promise<ChunkTap> {
	let upstream: URL | undefined;
	const exchanges: TappedExchange[] = [];
	const server = createServer((request, response) => {
		if (!upstream) {
			response.writeHead(502).end();
			return;
		}
		const exchange: TappedExchange = {
			path: request.url ?? '/',
			startedAt: Date.now(),
			requestBody: '',
			status: undefined,
			eventTimes: [],
			events: [],
			endedAt: undefined,
		};
		exchanges.push(exchange);
		const outgoing = forward(
			{
				hostname: upstream.hostname,
				port: upstream.port,
				method: request.method,
				path: request.url,
				headers: endToEndHeaders(request.headers),
			},
			(upstreamResponse) => {
				exchange.status = upstreamResponse.statusCode;
				response.writeHead(upstreamResponse.statusCode ?? 502, endToEndHeaders(upstreamResponse.headers));
				response.flushHeaders();
				let pending = '';
				upstreamResponse.on('data', (chunk: Buffer) => {
					const now = Date.now();
					pending += chunk.toString('utf8');
					let end = EVENT_END.exec(pending);
					while (end !== null) {
						exchange.eventTimes.push(now);
						exchange.events.push(pending.slice(0, end.index));
						pending = pending.slice(end.index + end[0].length);
						end = EVENT_END.exec(pending);
					}
					response.write(chunk);
				});
				upstreamResponse.on('end', () => {
					exchange.endedAt = Date.now();
					response.end();
				});
				upstreamResponse.on('error', () => {
					response.destroy();
				});
			},
		);
		outgoing.on('error', () => {
			response.destroy();
		});
		response.on('close', () => {
			outgoing.destroy();
		});
		request.on('data', (chunk: Buffer) => {
			exchange.requestBody += chunk.toString('utf8');
		});
		request.pipe(outgoing);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		exchanges,
		find: (marker) => exchanges.find((exchange) => exchange.requestBody.includes(marker)),
		setUpstream(url) {
			upstream = new URL(url);
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => {
					resolve();
				});
			}),
	};
}
