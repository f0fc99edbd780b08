import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerMetadataRequest } from './metadata-answer.js';
import type { MetadataFacts } from './metadata-answer.js';
import type { FakeMetadata, RecordedMetadataRequest, StartFakeMetadataOptions } from './types.js';

const DEFAULT_PROJECT_ID = 'fake-project';
const DEFAULT_TOKEN = 'test-access-token';
const DEFAULT_EXPIRES_IN_SECONDS = 3_599;
const NUMERIC_PROJECT_ID = '123456789012';
const TOKEN_PATH_PATTERN = /\/service-accounts\/[^/]+\/token\/?$/;

/**
 * Starts a fake GCE metadata server on 127.0.0.1. With its `env` in `process.env`, google-auth-library's Application
 * Default Credentials take the project id and an access token from it (when no credentials file or gcloud login wins).
 */
export async function startFakeMetadata(options: StartFakeMetadataOptions = {}): Promise<FakeMetadata> {
	const initialToken = options.token ?? DEFAULT_TOKEN;
	const facts: MetadataFacts = {
		projectId: options.projectId ?? DEFAULT_PROJECT_ID,
		numericProjectId: NUMERIC_PROJECT_ID,
		serviceAccountEmail: `${NUMERIC_PROJECT_ID}-compute@developer.gserviceaccount.com`,
		token: initialToken,
		expiresInSeconds: options.expiresInSeconds ?? DEFAULT_EXPIRES_IN_SECONDS,
		tokenFailure: undefined,
	};
	const requests: RecordedMetadataRequest[] = [];
	const server = createServer((request, response) => {
		requests.push(serve(facts, request, response));
	});
	const host = await listen(server);
	let closed: Promise<void> | undefined;
	return {
		url: `http://${host}`,
		host,
		env: { GCE_METADATA_HOST: host, METADATA_SERVER_DETECTION: 'assume-present' },
		projectId: facts.projectId,
		serviceAccountEmail: facts.serviceAccountEmail,
		get token() {
			return facts.token;
		},
		setToken(token) {
			facts.token = token;
		},
		failTokens(failure) {
			if (typeof failure === 'number' && !(Number.isInteger(failure) && failure >= 400 && failure <= 599)) {
				throw new RangeError(`a token failure status must be an integer from 400 to 599, got ${failure}`);
			}
			facts.tokenFailure = failure;
		},
		get requests() {
			return [...requests];
		},
		get tokenRequests() {
			return requests.filter((request) => TOKEN_PATH_PATTERN.test(request.path));
		},
		reset() {
			requests.length = 0;
			facts.token = initialToken;
			facts.tokenFailure = undefined;
		},
		close() {
			closed ??= new Promise((resolve) => {
				server.close(() => {
					resolve();
				});
				server.closeAllConnections();
			});
			return closed;
		},
	};
}

/** Answers at once: gcp-metadata sends no body, so there is nothing to wait for. */
function serve(facts: MetadataFacts, request: IncomingMessage, response: ServerResponse): RecordedMetadataRequest {
	const url = new URL(request.url ?? '/', 'http://127.0.0.1');
	const flavor = request.headers['metadata-flavor'];
	const method = request.method ?? 'GET';
	const answer = answerMetadataRequest(facts, {
		method,
		path: url.pathname,
		flavor: typeof flavor === 'string' ? flavor : undefined,
	});
	const recorded = {
		method,
		path: url.pathname,
		query: Object.fromEntries(url.searchParams),
		headers: headersOf(request),
		status: answer === 'drop' ? 0 : answer.status,
		receivedAt: Date.now(),
	};
	if (answer === 'drop') {
		request.socket.destroy();
		return recorded;
	}
	// Every GCE answer carries the flavor header; gcp-metadata rejects answers without it.
	response.writeHead(answer.status, {
		'content-type': answer.contentType,
		'metadata-flavor': 'Google',
		server: 'Metadata Server for VM',
	});
	response.end(answer.body);
	return recorded;
}

function headersOf(request: IncomingMessage): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(request.headers)) {
		if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
	}
	return headers;
}

function listen(server: Server): Promise<string> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			server.off('error', reject);
			const { port } = server.address() as AddressInfo;
			resolve(`127.0.0.1:${port}`);
		});
	});
}
