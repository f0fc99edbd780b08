import { imageUrlProblem } from './image-data-url.js';
import {
	emptyArray,
	invalidRequest,
	invalidType,
	invalidValue,
	missingParameter,
	patternMismatch,
} from './invalid-parameter.js';
import { isRecord } from './is-record.js';
import type { OpenAiErrorBody } from './types.js';

/** The roles this fake takes; OpenAI also has 'tool' and 'function', which the bot does not send. */
export const ROLES: readonly string[] = ['system', 'developer', 'user', 'assistant'];
const NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
const IMAGE_DETAILS: readonly string[] = ['auto', 'low', 'high'];

/** Checks one entry of `messages` as OpenAI does; `path` is e.g. 'messages[2]'. */
export function validateMessage(message: unknown, path: string): OpenAiErrorBody | undefined {
	if (!isRecord(message)) return invalidType(path, 'an object', message);
	const { role, content, name } = message;
	if (role === undefined) return missingParameter(`${path}.role`);
	if (typeof role !== 'string' || !ROLES.includes(role)) return invalidValue(`${path}.role`, role, ROLES);
	if (name !== undefined && name !== null) {
		if (typeof name !== 'string') return invalidType(`${path}.name`, 'a string', name);
		if (!NAME_PATTERN.test(name)) return patternMismatch(`${path}.name`, NAME_PATTERN.source);
	}
	if (content === undefined || content === null) return missingParameter(`${path}.content`);
	if (typeof content === 'string') return undefined;
	if (!Array.isArray(content)) {
		return invalidType(`${path}.content`, 'one of a string or array of objects', content);
	}
	if (content.length === 0) return emptyArray(`${path}.content`);
	const partTypes = role === 'user' ? ['text', 'image_url'] : ['text'];
	for (const [index, part] of content.entries()) {
		const problem = validatePart(part, `${path}.content[${index}]`, partTypes);
		if (problem !== undefined) return problem;
	}
	return undefined;
}

function validatePart(part: unknown, path: string, partTypes: readonly string[]): OpenAiErrorBody | undefined {
	if (!isRecord(part)) return invalidType(path, 'an object', part);
	if (part.type === undefined) return missingParameter(`${path}.type`);
	if (typeof part.type !== 'string' || !partTypes.includes(part.type)) {
		return invalidValue(`${path}.type`, part.type, partTypes);
	}
	if (part.type === 'text') {
		if (part.text === undefined) return missingParameter(`${path}.text`);
		return typeof part.text === 'string' ? undefined : invalidType(`${path}.text`, 'a string', part.text);
	}
	const image = part.image_url;
	if (image === undefined) return missingParameter(`${path}.image_url`);
	if (!isRecord(image)) return invalidType(`${path}.image_url`, 'an object', image);
	if (image.url === undefined) return missingParameter(`${path}.image_url.url`);
	if (typeof image.url !== 'string') return invalidType(`${path}.image_url.url`, 'a string', image.url);
	if (image.detail !== undefined && (typeof image.detail !== 'string' || !IMAGE_DETAILS.includes(image.detail))) {
		return invalidValue(`${path}.image_url.detail`, image.detail, IMAGE_DETAILS);
	}
	const problem = imageUrlProblem(image.url);
	return problem === undefined
		? undefined
		: invalidRequest(`Invalid '${path}.image_url.url'. ${problem}`, `${path}.image_url.url`, 'invalid_value');
}
