import { PROTO_PACKAGE } from './google-error.js';
import { isRecord } from './is-record.js';

/** The tool kinds this fake knows, with their proto field and message names for error messages. */
const TOOL_KINDS = {
	googleSearch: ['google_search', 'Tool.GoogleSearch'],
	urlContext: ['url_context', 'UrlContext'],
	codeExecution: ['code_execution', 'CodeExecution'],
	functionDeclarations: ['function_declarations', 'FunctionDeclaration'],
	googleSearchRetrieval: ['google_search_retrieval', 'GoogleSearchRetrieval'],
} as const;

type ToolKind = keyof typeof TOOL_KINDS;

const KIND_NAMES = Object.keys(TOOL_KINDS) as ToolKind[];

/** Each entry of `tools` must be an object holding exactly one known tool kind with a value of the right shape. */
export function validateTools(tools: unknown, requestName: string): string | undefined {
	if (tools === undefined) return undefined;
	if (!Array.isArray(tools)) return `Invalid value at 'tools' (${PROTO_PACKAGE}.Tool), ${JSON.stringify(tools)}`;
	for (const [index, tool] of tools.entries()) {
		const error = validateTool(tool, `tools[${index}]`, requestName);
		if (error !== undefined) return error;
	}
	return undefined;
}

function validateTool(tool: unknown, path: string, requestName: string): string | undefined {
	if (!isRecord(tool)) return `Invalid value at '${path}' (${PROTO_PACKAGE}.Tool), ${JSON.stringify(tool)}`;
	const unknown = Object.keys(tool).find((key) => !isToolKind(key));
	if (unknown !== undefined) {
		return `Invalid JSON payload received. Unknown name "${unknown}" at '${path}': Cannot find field.`;
	}
	const kinds = KIND_NAMES.filter((kind) => tool[kind] !== undefined);
	const [kind] = kinds;
	if (kind === undefined || kinds.length > 1) {
		const got = kinds.length === 0 ? 'none' : kinds.join(', ');
		return `* ${requestName}.${path}: a tool must set exactly one of ${KIND_NAMES.join(', ')}; got ${got}\n`;
	}
	const value = tool[kind];
	const [field, message] = TOOL_KINDS[kind];
	if (kind === 'functionDeclarations' ? !Array.isArray(value) : !isRecord(value)) {
		return `Invalid value at '${path}.${field}' (${PROTO_PACKAGE}.${message}), ${JSON.stringify(value)}`;
	}
	return undefined;
}

function isToolKind(key: string): key is ToolKind {
	return Object.hasOwn(TOOL_KINDS, key);
}
