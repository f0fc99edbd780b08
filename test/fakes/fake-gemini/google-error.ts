/** One entry of `google.rpc.Status.details`, e.g. `{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', ... }`. */
export type GoogleErrorDetail = { '@type': string } & Record<string, unknown>;

/** The `error` member of Google's `google.rpc.Status` error body. */
export type GoogleError = {
	code: number;
	message: string;
	status: string;
	details?: GoogleErrorDetail[];
};

const STATUS_NAMES: Readonly<Record<number, string>> = {
	400: 'INVALID_ARGUMENT',
	401: 'UNAUTHENTICATED',
	403: 'PERMISSION_DENIED',
	404: 'NOT_FOUND',
	409: 'ABORTED',
	429: 'RESOURCE_EXHAUSTED',
	499: 'CANCELLED',
	500: 'INTERNAL',
	501: 'NOT_IMPLEMENTED',
	503: 'UNAVAILABLE',
	504: 'DEADLINE_EXCEEDED',
};

const DEFAULT_MESSAGES: Readonly<Record<number, string>> = {
	400: 'Request contains an invalid argument.',
	403: 'The caller does not have permission',
	404: 'Requested entity was not found.',
	429: 'Resource has been exhausted (e.g. check quota).',
	500: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
	503: 'The model is overloaded. Please try again later.',
	504: 'Deadline expired before operation could complete.',
};

export const ERROR_TYPE_PREFIX = 'type.googleapis.com/google.rpc.';

/** Prefix of the message types named in 'Invalid value at ...' messages. */
export const PROTO_PACKAGE = 'type.googleapis.com/google.ai.generativelanguage.v1beta';

export function statusName(code: number): string {
	return STATUS_NAMES[code] ?? (code >= 400 && code < 500 ? 'FAILED_PRECONDITION' : 'UNKNOWN');
}

export function googleError(code: number, message?: string, details?: GoogleErrorDetail[]): GoogleError {
	const error: GoogleError = {
		code,
		message: message ?? DEFAULT_MESSAGES[code] ?? 'Unknown error.',
		status: statusName(code),
	};
	if (details !== undefined && details.length > 0) error.details = details;
	return error;
}

export function invalidArgument(message: string): GoogleError {
	return googleError(400, message);
}

export function missingApiKeyError(): GoogleError {
	return googleError(
		403,
		"Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
	);
}

export function invalidApiKeyError(): GoogleError {
	const message = 'API key not valid. Please pass a valid API key.';
	return googleError(400, message, [
		{
			'@type': `${ERROR_TYPE_PREFIX}ErrorInfo`,
			reason: 'API_KEY_INVALID',
			domain: 'googleapis.com',
			metadata: { service: 'generativelanguage.googleapis.com' },
		},
		{ '@type': `${ERROR_TYPE_PREFIX}LocalizedMessage`, locale: 'en-US', message },
	]);
}

export function modelNotFoundError(model: string, apiVersion: string, action: string): GoogleError {
	const name = model.includes('/') ? model : `models/${model}`;
	return googleError(
		404,
		`${name} is not found for API version ${apiVersion}, or is not supported for ${action}. Call ListModels to see the list of available models and their supported methods.`,
	);
}

/** Google's error bodies are pretty-printed JSON with a trailing newline. */
export function errorBodyOf(error: GoogleError): string {
	return `${JSON.stringify({ error }, null, 2)}\n`;
}
