import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GlobalRateLimiter } from './global-rate-limit.js';
import { readBody, send } from './http-body.js';
import type { ChannelPermissions } from './permissions-by-channel.js';
import type { MessageRateLimiter } from './rate-limits.js';
import {
	apiError,
	ERRORS,
	isRecord,
	type RestRequest,
	type RestResponse,
	type RouteDefinition,
	type UploadedFile,
} from './responses.js';
import { API_PREFIX, compileRoutes, decodePath, matchRoute, type CompiledRoute } from './route-matching.js';
import { keepRecord } from './keep-record.js';
import { notifyChange, type FakeState } from './state.js';
import type { InjectedFailure, RecordedRequest } from './types.js';

type PendingFailure = { match: { method: string; path: RegExp }; error: InjectedFailure };
type Outcome = RestResponse & { countsAsWrite: boolean };

/** What stands between a request and its handler (the global limit is checked first, for every route). */
export type RestGuards = {
	globalLimiter: GlobalRateLimiter;
	permissions: ChannelPermissions;
	messageLimiter: MessageRateLimiter;
};

export type RestRouter = {
	handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
	failNext(match: { method: string; path: RegExp }, error: InjectedFailure): void;
	readonly stats: { served429: number; served429Global: number; restRequests: number };
};

export function createRestRouter(state: FakeState, definitions: RouteDefinition[], guards: RestGuards): RestRouter {
	const routes = compileRoutes(definitions);
	const failures: PendingFailure[] = [];
	const stats = { served429: 0, served429Global: 0, restRequests: 0 };

	const run = async (route: CompiledRoute, request: RestRequest): Promise<Outcome> => {
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
		const { method, authorized, params } = request;
		const channelId = params.channelId;
		const denied = guards.permissions.check({ method, route: route.route, channelId, authorized });
		if (denied) return { ...denied, countsAsWrite: false };
		let headers: Record<string, string> = {};
		if (route.messageWrite !== undefined && channelId !== undefined && state.channels.has(channelId)) {
			const decision = guards.messageLimiter.take(route.messageWrite, channelId, Date.now());
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
			const path = decodePath(url.pathname);
			const authorized = incoming.headers.authorization === `Bot ${state.token}`;
			const parsed = await readBody(incoming);
			const { route, params, pathKnown } = matchRoute(routes, method, path);
			const globallyLimited = guards.globalLimiter.take(path, authorized, Date.now());
			let result: Outcome;
			let body: unknown;
			let files: UploadedFile[] = [];
			let internalError = false;
			if (!('status' in parsed)) ({ body, files } = parsed);
			if (globallyLimited) result = { ...globallyLimited, countsAsWrite: false };
			else if ('status' in parsed) result = { ...parsed, countsAsWrite: false };
			else {
				const query = url.searchParams;
				const request: RestRequest = {
					method,
					path,
					params,
					query,
					body,
					files,
					authorized,
					headers: incoming.headers,
				};
				try {
					if (route) result = await run(route, request);
					else if (pathKnown) result = { ...apiError(405, 0, '405: Method Not Allowed'), countsAsWrite: false };
					else result = { ...ERRORS.notFound(), countsAsWrite: false };
				} catch (error) {
					internalError = true;
					const message = error instanceof Error ? error.message : String(error);
					result = { ...apiError(500, 0, `500: Internal Server Error (${message})`), countsAsWrite: false };
				}
				const writeChannel = route?.writeChannel?.(request);
				if (result.countsAsWrite && writeChannel !== undefined) {
					guards.messageLimiter.recordWrite(writeChannel, Date.now());
				}
			}
			if (result.status === 429) {
				stats.served429 += 1;
				if (isRecord(result.body) && result.body.global === true) stats.served429Global += 1;
			}
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
			keepRecord(state, state.requests, record);
			if (!route || internalError) state.unexpectedRequests.push(record);
			send(response, result);
			notifyChange(state);
		},
	};
}
