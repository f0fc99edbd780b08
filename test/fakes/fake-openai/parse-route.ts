export type OpenAiRoute = { kind: 'chat' } | { kind: 'models'; model: string | undefined };

/** Non-greedy prefix, so that an OpenRouter id like `openai/gpt-4o` stays whole. */
const MODELS_PATH = /^.*?\/models(?:\/(.+))?$/;

/** Routes on the path's end, so that any prefix (`/v1`, `/api/v1`, `/v1beta/openai`) works. */
export function parseRoute(method: string, pathname: string): OpenAiRoute | undefined {
	if (method === 'POST' && pathname.endsWith('/chat/completions')) return { kind: 'chat' };
	const match = method === 'GET' ? MODELS_PATH.exec(pathname) : null;
	if (match === null) return undefined;
	const encoded = match[1];
	return { kind: 'models', model: encoded === undefined ? undefined : safeDecode(encoded) };
}

function safeDecode(value: string): string {
	try {
		return decodeURIComponent(value);
	} catch {
		return value;
	}
}
