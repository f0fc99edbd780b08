import { PROTO_PACKAGE } from './google-error.js';
import { validateInlineData, validateInlinePayload } from './inline-data.js';
import { isRecord } from './is-record.js';
import { validateGenerationConfig } from './validate-generation-config.js';
import { validateTools } from './validate-tools.js';

const DATA_FIELDS = [
	'text',
	'inlineData',
	'fileData',
	'functionCall',
	'functionResponse',
	'executableCode',
	'codeExecutionResult',
] as const;
const VALID_ROLES = new Set(['user', 'model']);
const CATEGORY_PATTERN = /^HARM_CATEGORY_[A-Z_]+$/;
const THRESHOLD_PATTERN = /^(BLOCK_[A-Z_]+|OFF|HARM_BLOCK_THRESHOLD_UNSPECIFIED)$/;

/** Returns a Google-style INVALID_ARGUMENT message, or undefined when the request is acceptable for `model`. */
export function validateRequest(body: unknown, requestName: string, model: string): string | undefined {
	if (!isRecord(body)) return `Invalid JSON payload received. Expected an object at the top level.`;
	return (
		validateContents(body.contents, requestName) ??
		validateSystemInstruction(body.systemInstruction, requestName) ??
		validateTools(body.tools, requestName) ??
		validateGenerationConfig(body.generationConfig, requestName, model) ??
		validateSafetySettings(body.safetySettings) ??
		validateInlinePayload(body)
	);
}

function validateContents(contents: unknown, requestName: string): string | undefined {
	if (!Array.isArray(contents) || contents.length === 0) {
		return `* ${requestName}.contents: contents is not specified\n`;
	}
	for (const [index, content] of contents.entries()) {
		const path = `contents[${index}]`;
		if (!isRecord(content)) return `Invalid value at '${path}' (${PROTO_PACKAGE}.Content), ${JSON.stringify(content)}`;
		const error = validateContent(content, path, requestName, false);
		if (error !== undefined) return error;
	}
	return undefined;
}

function validateSystemInstruction(instruction: unknown, requestName: string): string | undefined {
	if (instruction === undefined) return undefined;
	const path = 'system_instruction';
	if (!isRecord(instruction)) {
		return `Invalid value at '${path}' (${PROTO_PACKAGE}.Content), ${JSON.stringify(instruction)}`;
	}
	return validateContent(instruction, path, requestName, true);
}

function validateContent(
	content: Record<string, unknown>,
	path: string,
	requestName: string,
	allowEmpty: boolean,
): string | undefined {
	const { role, parts } = content;
	if (role !== undefined && (typeof role !== 'string' || !VALID_ROLES.has(role))) {
		return 'Please use a valid role: user, model.';
	}
	if (!Array.isArray(parts) || (parts.length === 0 && !allowEmpty)) {
		return `* ${requestName}.${path}.parts: contents.parts must not be empty.\n`;
	}
	for (const [index, part] of parts.entries()) {
		const error = validatePart(part, `${path}.parts[${index}]`, requestName);
		if (error !== undefined) return error;
	}
	return undefined;
}

function validatePart(part: unknown, path: string, requestName: string): string | undefined {
	if (!isRecord(part)) return `Invalid value at '${path}' (${PROTO_PACKAGE}.Part), ${JSON.stringify(part)}`;
	const present = DATA_FIELDS.filter((field) => part[field] !== undefined);
	const [first, second] = present;
	if (first === undefined) {
		return `* ${requestName}.${path}.data: required oneof field 'data' must have one initialized field\n`;
	}
	if (second !== undefined) {
		return `Invalid value at '${path}.data' (oneof), oneof field 'data' is already set. Cannot set '${second}'`;
	}
	if (first === 'text' && typeof part.text !== 'string') {
		return `Invalid value at '${path}.text' (TYPE_STRING), ${JSON.stringify(part.text)}`;
	}
	if (first === 'inlineData') return validateInlineData(part.inlineData, path, requestName);
	if (first === 'fileData') {
		const file = part.fileData;
		if (!isRecord(file) || typeof file.fileUri !== 'string' || file.fileUri === '') {
			return `* ${requestName}.${path}.file_data.file_uri: file_uri is not specified\n`;
		}
	}
	return undefined;
}

function validateSafetySettings(settings: unknown): string | undefined {
	if (settings === undefined) return undefined;
	if (!Array.isArray(settings)) {
		return `Invalid value at 'safety_settings' (${PROTO_PACKAGE}.SafetySetting), ${JSON.stringify(settings)}`;
	}
	for (const [index, setting] of settings.entries()) {
		const path = `safety_settings[${index}]`;
		const category: unknown = isRecord(setting) ? setting.category : undefined;
		const threshold: unknown = isRecord(setting) ? setting.threshold : undefined;
		if (typeof category !== 'string' || !CATEGORY_PATTERN.test(category)) {
			return `Invalid value at '${path}.category' (${PROTO_PACKAGE}.HarmCategory), ${JSON.stringify(category)}`;
		}
		if (typeof threshold !== 'string' || !THRESHOLD_PATTERN.test(threshold)) {
			return `Invalid value at '${path}.threshold' (${PROTO_PACKAGE}.SafetySetting.HarmBlockThreshold), ${JSON.stringify(threshold)}`;
		}
	}
	return undefined;
}
