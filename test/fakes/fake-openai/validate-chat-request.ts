import { emptyArray, invalidRequest, invalidType, missingParameter, outOfRange } from './invalid-parameter.js';
import { isRecord } from './is-record.js';
import type { OpenAiErrorBody } from './types.js';
import { validateMessage } from './validate-message.js';

/** Why OpenAI would answer 400 to this chat-completion body, or undefined. Unknown fields are let through. */
export function validateChatRequest(body: unknown): OpenAiErrorBody | undefined {
	if (!isRecord(body)) return invalidType('body', 'an object', body);
	if (body.model === undefined || body.model === null || body.model === '') {
		return invalidRequest('you must provide a model parameter', null, null);
	}
	if (typeof body.model !== 'string') return invalidType('model', 'a string', body.model);
	const { messages } = body;
	if (messages === undefined) return missingParameter('messages');
	if (!Array.isArray(messages)) return invalidType('messages', 'an array of objects', messages);
	if (messages.length === 0) return emptyArray('messages');
	for (const [index, message] of messages.entries()) {
		const problem = validateMessage(message, `messages[${index}]`);
		if (problem !== undefined) return problem;
	}
	return validateSampling(body) ?? validateStreaming(body);
}

function validateSampling(body: Record<string, unknown>): OpenAiErrorBody | undefined {
	const { temperature } = body;
	if (temperature !== undefined && temperature !== null) {
		if (typeof temperature !== 'number') return invalidType('temperature', 'a decimal', temperature);
		if (temperature < 0) return outOfRange('temperature', temperature, { bound: 'min', limit: 0, kind: 'decimal' });
		if (temperature > 2) return outOfRange('temperature', temperature, { bound: 'max', limit: 2, kind: 'decimal' });
	}
	for (const param of ['max_tokens', 'max_completion_tokens']) {
		const value = body[param];
		if (value === undefined || value === null) continue;
		if (typeof value !== 'number' || !Number.isInteger(value)) return invalidType(param, 'an integer', value);
		if (value < 1) return outOfRange(param, value, { bound: 'min', limit: 1, kind: 'integer' });
	}
	return undefined;
}

function validateStreaming(body: Record<string, unknown>): OpenAiErrorBody | undefined {
	const { stream, stream_options: options } = body;
	if (stream !== undefined && stream !== null && typeof stream !== 'boolean') {
		return invalidType('stream', 'a boolean', stream);
	}
	if (options === undefined || options === null) return undefined;
	if (stream !== true) {
		const message = "The 'stream_options' parameter is only allowed when 'stream' is enabled.";
		return invalidRequest(message, 'stream_options', 'invalid_value');
	}
	if (!isRecord(options)) return invalidType('stream_options', 'an object', options);
	const includeUsage = options.include_usage;
	if (includeUsage !== undefined && typeof includeUsage !== 'boolean') {
		return invalidType('stream_options.include_usage', 'a boolean', includeUsage);
	}
	return undefined;
}
