import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MessageRateLimiter } from './rate-limits.js';
import {
	apiError,
	ERRORS,
	type RestRequest,
	type RestResponse,
	type RouteDefinition,
	type UploadedFile,
} from './responses.js';
import { notifyChange, type FakeState } from './state.js';
import type { InjectedFailure, RecordedRequest } from './types.js';

const API_PREFIX = '/api/v10';

type CompiledRoute = RouteDefinition & { pattern: RegExp; names: string[] };
type PendingFailure = { match: { method: string; path: RegExp }; error: InjectedFailure };

export type RestRouter = {
	handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
	failNext(match: { method: string; path: RegExp }, error: InjectedFailure): void;
	readonly stats: { served429: number; restRequests: number };
};

function compile(route: RouteDefinition): CompiledRoute {
	const names: string[] = [];
	const source = route.route
		.split('/')
		.map((segment) => {
			if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
			names.push(segment.slice(1));
			return '([^/]+)';
		})
		.join('/');
	return { ...route, pattern: new RegExp(`^${source}$`), names };
}

const INVALID_JSON = Symbol('invalid JSON');

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return INVALID_JSON;
	}
}

async function readBody(request: IncomingMessage): Promise<{ body: unknown; files: UploadedFile[] } | RestResponse> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	const raw = Buffer.concat(chunks);
	const contentType = request.headers['content-type'] ?? '';
	if (raw.length === 0) return { body: undefined, files: [] };
	if (contentType.startsWith('multipart/form-data')) {
		let form: FormData;
		try {
			// eslint-disable-next-line @typescript-eslint/no-deprecated -- fine for a test server; avoids a multipart dependency.
			form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
		} catch {
			return apiError(400, 50035, 'Invalid Form Body');
		}
		const files: UploadedFile[] = [];
		let body: unknown;
		for (const [field, value] of form.entries()) {
			if (typeof value === 'string') {
				if (field === 'payload_json') body = parseJson(value);
				continue;
			}
			const data = Buffer.from(await value.arrayBuffer());
			files.push({ field, filename: value.name, contentType: value.type === '' ? undefined : value.type, data });
		}
		return body === INVALID_JSON ? apiError(400, 50109, 'The request body contains invalid JSON.') : { body, files };
	}
	const body = parseJson(raw.toString('utf8'));
	return body === INVALID_JSON ? apiError(400, 50109, 'The request body contains invalid JSON.') : { body, files: [] };
}

function send(response: ServerResponse, result: RestResponse): void {
	const headers = { ...result.headers };
	if (result.status === 204 || result.body === undefined) {
		response.writeHead(result.status, headers).end();
		return;
	}
	headers['Content-Type'] = 'application/json';
	response.writeHead(result.status, headers).end(JSON.stringify(result.body));
}

export function createRestRouter(
	state: FakeState,
	definitions: RouteDefinition[],
	rateLimiter: MessageRateLimiter,
): RestRouter {
	const routes = definitions.map(compile);
	const failures: PendingFailure[] = [];
	const stats = { served429: 0, restRequests: 0 };

	const run = async (
		route: CompiledRoute,
		request: RestRequest,
	): Promise<RestResponse & { countsAsWrite: boolean }> => {
		if (route.auth && !request.authorized) return { ...ERRORS.unauthorized(), countsAsWrite: false };
		const failureIndex = failures.findIndex(
			(failure) => failure.match.method.toUpperCase() === request.method && failure.match.path.test(request.path),
		);
		const failure = failures[failureIndex];
		if (failure) {
			failures.splice(failureIndex, 1);
			const { status, code, message } = failure.error;
			if (status !== 429) return { ...apiError(status, code, message), countsAsWrite: true };
			return {
				status,
				body: { message, code, retry_after: 0.1, global: false },
				headers: { 'Retry-After': '0.100', 'X-RateLimit-Scope': 'user' },
				countsAsWrite: false,
			};
		}
		let headers: Record<string, string> = {};
		const channelId = request.params.channelId;
		if (route.messageWrite !== undefined && channelId !== undefined && state.channels.has(channelId)) {
			const decision = rateLimiter.take(route.messageWrite, channelId, Date.now());
			headers = decision.headers;
			if (!decision.allowed) {
				const retryAfter = decision.retryAfterMs / 1000;
				const body = { message: 'You are being rate limited.', retry_after: retryAfter, global: false };
				return { status: 429, body, headers, countsAsWrite: false };
			}
		}
		const result = await route.handler(request);
		return { ...result, headers: { ...headers, ...result.headers }, countsAsWrite: true };
	};

	return {
		stats,
		failNext(match, error) {
			failures.push({ match, error });
		},
		async handle(incoming, response) {
			const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
			const method = (incoming.method ?? 'GET').toUpperCase();
			if (!url.pathname.startsWith(`${API_PREFIX}/`)) {
				send(response, ERRORS.notFound());
				return;
			}
			stats.restRequests += 1;
			const path = url.pathname
				.slice(API_PREFIX.length)
				.split('/')
				.map((segment) => {
					try {
						return decodeURIComponent(segment);
					} catch {
						return segment;
					}
				})
				.join('/');
			const authorized = incoming.headers.authorization === `Bot ${state.token}`;
			const parsed = await readBody(incoming);
			const matching = routes.filter((candidate) => candidate.pattern.test(path));
			const route = matching.find((candidate) => candidate.method === method);
			let result: RestResponse & { countsAsWrite: boolean };
			let body: unknown;
			let files: UploadedFile[] = [];
			let internalError = false;
			if ('status' in parsed) result = { ...parsed, countsAsWrite: false };
			else {
				({ body, files } = parsed);
				const params: Record<string, string> = {};
				const values = route?.pattern.exec(path)?.slice(1) ?? [];
				route?.names.forEach((name, index) => (params[name] = values[index] ?? ''));
				const request = { method, path, params, query: url.searchParams, body, files, authorized };
				const restRequest: RestRequest = { ...request, headers: incoming.headers };
				try {
					if (route) result = await run(route, restRequest);
					else if (matching.length > 0)
						result = { ...apiError(405, 0, '405: Method Not Allowed'), countsAsWrite: false };
					else result = { ...ERRORS.notFound(), countsAsWrite: false };
				} catch (error) {
					internalError = true;
					const message = error instanceof Error ? error.message : String(error);
					result = { ...apiError(500, 0, `500: Internal Server Error (${message})`), countsAsWrite: false };
				}
				const writeChannel = route?.writeChannel?.(restRequest);
				if (result.countsAsWrite && writeChannel !== undefined) rateLimiter.recordWrite(writeChannel, Date.now());
			}
			if (result.status === 429) stats.served429 += 1;
			const record: RecordedRequest = {
				method,
				path,
				route: route?.route ?? '(unknown)',
				query: Object.fromEntries(url.searchParams),
				body,
				files: files.map(({ field, filename, contentType, data }) => ({
					field,
					filename,
					contentType,
					size: data.length,
				})),
				authorized,
				status: result.status,
				at: Date.now(),
			};
			state.requests.push(record);
			if (!route || internalError) state.unexpectedRequests.push(record);
			send(response, result);
			notifyChange(state);
		},
	};
}
