import type { OpenAiErrorBody } from './types.js';

/** An error response: status, the object sent as `{ error }`, and extra headers. */
export type HttpFailure = {
	status: number;
	/** Usually an OpenAiErrorBody; OpenRouter's own errors have another shape, hence the looser type. */
	error: Record<string, unknown>;
	headers: Record<string, string>;
};

const SERVER_ERROR_MESSAGE = 'The server had an error while processing your request. Sorry about that!';

export function openAiError(
	status: number,
	body: Partial<OpenAiErrorBody> & { message: string },
	headers: Record<string, string> = {},
): HttpFailure {
	return { status, error: { type: 'invalid_request_error', param: null, code: null, ...body }, headers };
}

export function badRequest(body: OpenAiErrorBody): HttpFailure {
	return { status: 400, error: body, headers: {} };
}

export function serverErrorBody(): OpenAiErrorBody {
	return { message: SERVER_ERROR_MESSAGE, type: 'server_error', param: null, code: null };
}

/** The body OpenAI sends for a status no preset covers. */
export function genericErrorBody(status: number): OpenAiErrorBody {
	if (status >= 500) return serverErrorBody();
	return { message: `Request failed with status ${status}.`, type: 'invalid_request_error', param: null, code: null };
}

export function invalidApiKeyError(): HttpFailure {
	return openAiError(401, { message: 'Incorrect API key provided', code: 'invalid_api_key' });
}

export function modelNotFoundError(model: string): HttpFailure {
	return openAiError(404, {
		message: `The model \`${model}\` does not exist or you do not have access to it.`,
		code: 'model_not_found',
	});
}

export function invalidUrlError(method: string, path: string): HttpFailure {
	return openAiError(404, { message: `Invalid URL (${method} ${path})` });
}

export function unparsableBodyError(): HttpFailure {
	return openAiError(400, {
		message:
			"We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)",
	});
}

/** What OpenRouter answers when no provider of the model takes images: its own shape, with a numeric code. */
export function noImageEndpointsError(): HttpFailure {
	return { status: 404, error: { message: 'No endpoints found that support image input', code: 404 }, headers: {} };
}
