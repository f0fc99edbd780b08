import type { IncomingMessage } from 'node:http';
import { isRecord } from './is-record.js';
import type { GeminiRoute } from './parse-route.js';
import type { RecordedContent, RecordedGeminiRequest, RecordedInlineData, RecordedPart } from './types.js';

export type RecordInput = {
	request: IncomingMessage;
	url: URL;
	route: GeminiRoute;
	body: unknown;
	receivedAt: number;
};

type DecodedPart = { text: string } | { mimeType: string; data: Buffer };

export function recordRequest({ request, url, route, body, receivedAt }: RecordInput): RecordedGeminiRequest {
	const contents: unknown[] = isRecord(body) && Array.isArray(body.contents) ? body.contents : [];
	const instruction = isRecord(body) ? body.systemInstruction : undefined;
	const generationConfig = isRecord(body) && isRecord(body.generationConfig) ? body.generationConfig : undefined;
	const decoded = contents.map(decodedPartsOf);
	return {
		method: request.method ?? 'GET',
		path: url.pathname,
		apiVersion: route.apiVersion,
		model: route.model,
		action: route.action,
		query: Object.fromEntries(url.searchParams),
		headers: headersOf(request),
		body,
		tools: isRecord(body) && Array.isArray(body.tools) ? (body.tools as unknown[]) : [],
		contents: contents.map((content, index) => recordContent(content, decoded[index] ?? [])),
		inlineData: decoded.flatMap((parts, contentIndex) =>
			parts.flatMap((part): RecordedInlineData[] => ('data' in part ? [{ contentIndex, ...part }] : [])),
		),
		systemInstruction: instruction === undefined ? undefined : textOf(instruction),
		generationConfig,
		vertex: route.vertex,
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

function recordContent(content: unknown, decoded: readonly DecodedPart[]): RecordedContent {
	const role = isRecord(content) && typeof content.role === 'string' ? content.role : '';
	const parts = decoded.map((part): RecordedPart =>
		'text' in part ? part : { inlineData: { mimeType: part.mimeType, bytes: part.data.length } },
	);
	const recorded: RecordedContent = { role, text: textOf(content), parts };
	// Non-enumerable so that the many `toEqual([{ role, text }])` assertions on `contents` keep holding.
	Object.defineProperty(recorded, 'parts', { enumerable: false });
	return recorded;
}

/** Text and inline-data parts in order, inline data decoded (leniently: a rejected request may hold bad base64). */
function decodedPartsOf(content: unknown): DecodedPart[] {
	const parts: unknown[] = isRecord(content) && Array.isArray(content.parts) ? content.parts : [];
	return parts.flatMap((part): DecodedPart[] => {
		if (!isRecord(part)) return [];
		if (typeof part.text === 'string') return [{ text: part.text }];
		const inline = part.inlineData;
		if (!isRecord(inline) || typeof inline.mimeType !== 'string' || typeof inline.data !== 'string') return [];
		return [{ mimeType: inline.mimeType, data: Buffer.from(inline.data, 'base64') }];
	});
}

export function headersOf(request: IncomingMessage): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(request.headers)) {
		if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
	}
	return headers;
}
