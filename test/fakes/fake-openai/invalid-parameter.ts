import type { OpenAiErrorBody } from './types.js';

/** The 400 bodies OpenAI's request validation answers with, worded as it words them. */
function invalid(message: string, param: string | null, code: string | null): OpenAiErrorBody {
	return { message, type: 'invalid_request_error', param, code };
}

export function missingParameter(param: string): OpenAiErrorBody {
	return invalid(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
}

export function invalidType(param: string, expected: string, value: unknown): OpenAiErrorBody {
	return invalid(
		`Invalid type for '${param}': expected ${expected}, but got ${describeType(value)} instead.`,
		param,
		'invalid_type',
	);
}

export function invalidValue(param: string, value: unknown, supported: readonly string[]): OpenAiErrorBody {
	return invalid(
		`Invalid value: '${String(value)}'. Supported values are: ${listValues(supported)}.`,
		param,
		'invalid_value',
	);
}

export function emptyArray(param: string): OpenAiErrorBody {
	return invalid(
		`Invalid '${param}': empty array. Expected an array with minimum length 1, but got an empty array instead.`,
		param,
		'empty_array',
	);
}

export function patternMismatch(param: string, pattern: string): OpenAiErrorBody {
	return invalid(
		`Invalid '${param}': string does not match pattern. Expected a string that matches the pattern '${pattern}'.`,
		param,
		'invalid_value',
	);
}

export type RangeBound = { bound: 'min' | 'max'; limit: number; kind: 'integer' | 'decimal' };

export function outOfRange(param: string, value: number, { bound, limit, kind }: RangeBound): OpenAiErrorBody {
	const side = bound === 'min' ? 'below minimum' : 'above maximum';
	const relation = bound === 'min' ? '>=' : '<=';
	return invalid(
		`Invalid '${param}': ${kind} ${side} value. Expected a value ${relation} ${limit}, but got ${value} instead.`,
		param,
		`${kind}_${bound === 'min' ? 'below_min' : 'above_max'}_value`,
	);
}

export function invalidRequest(message: string, param: string | null, code: string | null): OpenAiErrorBody {
	return invalid(message, param, code);
}

export function describeType(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal';
	const article = typeof value === 'object' ? 'an' : 'a';
	return `${article} ${typeof value}`;
}

/** "'a'", "'a' and 'b'", "'a', 'b', and 'c'". */
function listValues(values: readonly string[]): string {
	const quoted = values.map((value) => `'${value}'`);
	if (quoted.length < 3) return quoted.join(' and ');
	return `${quoted.slice(0, -1).join(', ')}, and ${quoted.at(-1) ?? ''}`;
}
