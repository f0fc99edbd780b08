import type { IncomingHttpHeaders } from 'node:http';
import type { MessageBucket } from './rate-limits.js';

export type UploadedFile = { field: string; filename: string; contentType: string | undefined; data: Buffer };

export type RestRequest = {
	method: string;
	path: string;
	params: Record<string, string>;
	query: URLSearchParams;
	body: unknown;
	files: UploadedFile[];
	headers: IncomingHttpHeaders;
	authorized: boolean;
};

export type RestResponse = { status: number; body?: unknown; headers?: Record<string, string> };

export type RouteDefinition = {
	method: string;
	/** Template with `:name` parameters, matched against percent-decoded path segments. */
	route: string;
	/** Interaction callbacks and interaction webhooks are sent without Authorization. */
	auth: boolean;
	/** Subject to the per-channel message create or edit bucket. */
	messageWrite?: MessageBucket;
	/** The channel a message create/edit request writes to, for `maxMessageWritesInWindow`. */
	writeChannel?: (request: RestRequest) => string | undefined;
	handler: (request: RestRequest) => RestResponse | Promise<RestResponse>;
};

export function json(body: unknown, status = 200): RestResponse {
	return { status, body };
}

export function noContent(): RestResponse {
	return { status: 204 };
}

export function apiError(status: number, code: number, message: string, errors?: unknown): RestResponse {
	return { status, body: errors === undefined ? { code, message } : { code, message, errors } };
}

/** 50035 with Discord's nested `errors` shape; `field` may be dotted (`embeds.0.description`). */
export function invalidFormBody(field: string, code: string, message: string): RestResponse {
	const errors = field
		.split('.')
		.reverse()
		.reduce<unknown>((inner, key) => ({ [key]: inner }), { _errors: [{ code, message }] });
	return apiError(400, 50035, 'Invalid Form Body', errors);
}

export const ERRORS = {
	unknownChannel: () => apiError(404, 10003, 'Unknown Channel'),
	unknownMessage: () => apiError(404, 10008, 'Unknown Message'),
	unknownWebhook: () => apiError(404, 10015, 'Unknown Webhook'),
	unknownInteraction: () => apiError(404, 10062, 'Unknown interaction'),
	alreadyAcknowledged: () => apiError(400, 40060, 'Interaction has already been acknowledged.'),
	emptyMessage: () => apiError(400, 50006, 'Cannot send an empty message'),
	notAuthor: () => apiError(403, 50005, 'Cannot edit a message authored by another user'),
	threadArchived: () => apiError(400, 50083, 'Thread is archived'),
	unauthorized: () => apiError(401, 0, '401: Unauthorized'),
	notFound: () => apiError(404, 0, '404: Not Found'),
} as const;

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
