import type { IncomingMessage } from 'node:http';
import { isRecord } from './is-record.js';
import type { GeminiRoute } from './parse-route.js';
import type { RecordedGeminiRequest } from './types.js';

export type RecordInput = {
	request: IncomingMessage;
	url: URL;
	route: GeminiRoute;
	body: unknown;
	receivedAt: number;
};

export function recordRequest({ request, url, route, body, receivedAt }: RecordInput): RecordedGeminiRequest {
	const contents = isRecord(body) && Array.isArray(body.contents) ? body.contents : [];
	const instruction = isRecord(body) ? body.systemInstruction : undefined;
	const generationConfig = isRecord(body) && isRecord(body.generationConfig) ? body.generationConfig : undefined;
	return {
		method: request.method ?? 'GET',
		path: url.pathname,
		apiVersion: route.apiVersion,
		model: route.model,
		action: route.action,
		query: Object.fromEntries(url.searchParams),
		headers: headersOf(request),
		body,
		contents: contents.map((content) => ({
			role: isRecord(content) && typeof content.role === 'string' ? content.role : '',
			text: textOf(content),
		})),
		systemInstruction: instruction === undefined ? undefined : textOf(instruction),
		generationConfig,
		receivedAt,
	};
}

/** Concatenates the `text` of every part (thought parts included), like the SDK's `text` getter minus the filter. */
export function textOf(content: unknown): string {
	if (typeof content === 'string') return content;
	if (!isRecord(content) || !Array.isArray(content.parts)) return '';
	return content.parts
		.map((part: unknown) => (isRecord(part) && typeof part.text === 'string' ? part.text : ''))
		.join('');
}

function headersOf(request: IncomingMessage): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(request.headers)) {
		if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
	}
	return headers;
}
