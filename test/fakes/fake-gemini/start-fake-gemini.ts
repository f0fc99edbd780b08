import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFakeGeminiState } from './fake-gemini-state.js';
import { errorBodyOf, googleError } from './google-error.js';
import { handleRequest } from './handle-request.js';
import { toFakeModel } from './model-catalog.js';
import type { FakeGemini, StartFakeGeminiOptions } from './types.js';

const DEFAULT_API_KEY = 'test-key';
const DEFAULT_ACCESS_TOKEN = 'test-access-token';
const DEFAULT_CHUNK_DELAY_MS = 10;
const DEFAULT_WAIT_TIMEOUT_MS = 5_000;

/**
 * Starts a fake Gemini on 127.0.0.1 that the real `@google/genai` SDK can talk to: the Developer API (API key) and
 * Vertex AI (Bearer token; every project and location under the one base URL).
 */
export async function startFakeGemini(options: StartFakeGeminiOptions = {}): Promise<FakeGemini> {
	const state = createFakeGeminiState(
		options.apiKey ?? DEFAULT_API_KEY,
		options.accessToken ?? DEFAULT_ACCESS_TOKEN,
		options.defaultChunkDelayMs ?? DEFAULT_CHUNK_DELAY_MS,
	);
	const server = createServer((request, response) => {
		handleRequest(state, request, response).catch((error: unknown) => {
			failSafely(response, error);
		});
	});
	const url = await listen(server);
	let closed: Promise<void> | undefined;
	return {
		url,
		apiKey: state.apiKey,
		get accessToken() {
			return state.accessToken;
		},
		setAccessToken(token) {
			state.accessToken = token;
		},
		enqueue(...scenarios) {
			state.queue.push(...scenarios);
		},
		respondWith(responder) {
			state.responder = responder;
		},
		setRequestsPerMinute(limit) {
			state.limiter.setLimit(limit);
		},
		failLocation(location, scenario) {
			if (scenario === undefined) state.failedLocations.delete(location);
			else state.failedLocations.set(location, scenario);
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
					reject(
						new Error(`fake Gemini: expected ${count} request(s) within ${timeoutMs} ms, got ${state.requests.length}`),
					);
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
	const message = `fake Gemini failed: ${error instanceof Error ? error.message : String(error)}`;
	response.writeHead(500, { 'content-type': 'application/json; charset=UTF-8' });
	response.end(errorBodyOf(googleError(500, message)));
}
