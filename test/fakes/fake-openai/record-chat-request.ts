import type { IncomingMessage } from 'node:http';
import { isRemoteUrl, parseDataUrl } from './image-data-url.js';
import { isRecord } from './is-record.js';
import type { RecordedChatRequest, RecordedImage, RecordedMessage } from './types.js';

/** The chat-completion parameters OpenAI documents; anything else lands in `unknownFields`. */
const KNOWN_FIELDS = new Set([
	'model',
	'messages',
	'stream',
	'stream_options',
	'temperature',
	'top_p',
	'n',
	'stop',
	'max_tokens',
	'max_completion_tokens',
	'presence_penalty',
	'frequency_penalty',
	'logit_bias',
	'logprobs',
	'top_logprobs',
	'user',
	'safety_identifier',
	'prompt_cache_key',
	'seed',
	'tools',
	'tool_choice',
	'parallel_tool_calls',
	'functions',
	'function_call',
	'response_format',
	'reasoning_effort',
	'verbosity',
	'metadata',
	'store',
	'service_tier',
	'modalities',
	'audio',
	'prediction',
	'web_search_options',
]);

export type RecordInput = { request: IncomingMessage; path: string; body: unknown; receivedAt: number };

/** Records leniently: a request about to be refused may hold anything. */
export function recordChatRequest({ request, path, body, receivedAt }: RecordInput): RecordedChatRequest {
	const fields = isRecord(body) ? body : {};
	const rawMessages: unknown[] = Array.isArray(fields.messages) ? fields.messages : [];
	const messages = rawMessages.map(recordMessage);
	const streamOptions = isRecord(fields.stream_options) ? fields.stream_options : {};
	return {
		method: request.method ?? 'POST',
		path,
		headers: headersOf(request),
		body,
		model: typeof fields.model === 'string' ? fields.model : undefined,
		messages,
		images: messages.flatMap((message, messageIndex) => message.images.map((image) => ({ ...image, messageIndex }))),
		imageUrls: rawMessages.flatMap((message) => imageUrlsOf(message).filter(isRemoteUrl)),
		stream: fields.stream === true,
		includeUsage: streamOptions.include_usage === true,
		maxTokens: numberOrUndefined(fields.max_tokens),
		maxCompletionTokens: numberOrUndefined(fields.max_completion_tokens),
		temperature: numberOrUndefined(fields.temperature),
		unknownFields: Object.keys(fields).filter((key) => !KNOWN_FIELDS.has(key)),
		receivedAt,
	};
}

function recordMessage(message: unknown): RecordedMessage {
	const fields = isRecord(message) ? message : {};
	const recorded: RecordedMessage = {
		role: typeof fields.role === 'string' ? fields.role : '',
		text: textOf(fields.content),
		images: imageUrlsOf(message).flatMap(decodeImage),
	};
	if (typeof fields.name === 'string') recorded.name = fields.name;
	// Non-enumerable so that `toEqual([{ role, text }])` holds whatever the images.
	Object.defineProperty(recorded, 'images', { enumerable: false });
	return recorded;
}

/** A string content as is, or the text parts joined. */
export function textOf(content: unknown): string {
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return '';
	return content.map((part: unknown) => (isRecord(part) && typeof part.text === 'string' ? part.text : '')).join('');
}

function imageUrlsOf(message: unknown): string[] {
	const content = isRecord(message) ? message.content : undefined;
	if (!Array.isArray(content)) return [];
	return content.flatMap((part: unknown) => {
		const image = isRecord(part) && part.type === 'image_url' ? part.image_url : undefined;
		return isRecord(image) && typeof image.url === 'string' ? [image.url] : [];
	});
}

function decodeImage(url: string): RecordedImage[] {
	const parsed = parseDataUrl(url);
	return parsed === undefined ? [] : [{ mimeType: parsed.mimeType, bytes: Buffer.from(parsed.base64, 'base64') }];
}

function numberOrUndefined(value: unknown): number | undefined {
	return typeof value === 'number' ? value : undefined;
}

export function headersOf(request: IncomingMessage): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(request.headers)) {
		if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
	}
	return headers;
}
