import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFakeOpenAiState } from './fake-openai-state.js';
import { handleRequest } from './handle-request.js';
import { toFakeModel } from './model-catalog.js';
import { serverErrorBody } from './openai-error.js';
import type { FakeOpenAi, StartFakeOpenAiOptions } from './types.js';

const DEFAULT_CHUNK_DELAY_MS = 10;
const DEFAULT_WAIT_TIMEOUT_MS = 5_000;

/** Starts a fake OpenAI-compatible chat-completions server on 127.0.0.1 that the real `openai` client can talk to. */
export async function startFakeOpenAi(options: StartFakeOpenAiOptions = {}): Promise<FakeOpenAi> {
	const state = createFakeOpenAiState(options.apiKey, options.defaultChunkDelayMs ?? DEFAULT_CHUNK_DELAY_MS);
	const server = createServer((request, response) => {
		handleRequest(state, request, response).catch((error: unknown) => {
			failSafely(response, error);
		});
	});
	const url = await listen(server);
	let closed: Promise<void> | undefined;
	return {
		url,
		baseURL: `${url}/v1`,
		apiKey: state.apiKey,
		enqueue(...scenarios) {
			state.queue.push(...scenarios);
		},
		respondWith(responder) {
			state.responder = responder;
		},
		setRequestsPerMinute(limit) {
			state.limiter.setLimit(limit);
		},
		setModels(models) {
			state.models = models.map(toFakeModel);
		},
		setModelsUnavailable(outage) {
			state.modelsOutage = outage === true ? 'unavailable' : outage === false ? undefined : outage;
		},
		get modelsRequests() {
			return [...state.modelsRequests];
		},
		get requests() {
			return [...state.requests];
		},
		waitForRequests(count, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS) {
			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => {
					cancel();
					const received = state.requests.length;
					reject(new Error(`fake OpenAI: expected ${count} request(s) within ${timeoutMs} ms, got ${received}`));
				}, timeoutMs);
				const cancel = state.onRequestCount(count, () => {
					clearTimeout(timer);
					resolve([...state.requests]);
				});
			});
		},
		get stats() {
			return { ...state.stats };
		},
		reset() {
			state.reset();
		},
		close() {
			closed ??= closeServer(server, () => {
				state.closing = true;
			});
			return closed;
		},
	};
}

function listen(server: Server): Promise<string> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			server.off('error', reject);
			const { port } = server.address() as AddressInfo;
			resolve(`http://127.0.0.1:${port}`);
		});
	});
}

/** Stops listening and destroys every socket, so hanging streams cannot keep a test file alive. */
function closeServer(server: Server, markClosing: () => void): Promise<void> {
	markClosing();
	return new Promise((resolve) => {
		server.close(() => {
			resolve();
		});
		server.closeAllConnections();
	});
}

/** A bug in the fake should fail the request loudly instead of crashing the test process. */
function failSafely(response: ServerResponse, error: unknown): void {
	if (response.headersSent || response.destroyed) {
		response.destroy();
		return;
	}
	const message = `fake OpenAI failed: ${error instanceof Error ? error.message : String(error)}`;
	response.writeHead(500, { 'content-type': 'application/json' });
	response.end(JSON.stringify({ error: { ...serverErrorBody(), message } }));
}
