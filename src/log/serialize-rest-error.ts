import { maskTokens } from './mask-tokens.js';

/** Numbers, flags and short words that say what failed without saying what was sent. */
const KEPT_FIELDS = [
	'code',
	'status',
	'method',
	'global',
	'scope',
	'retryAfter',
	'timeToReset',
	'limit',
	'sublimitTimeout',
] as const;
const MESSAGE_LIMIT = 1_000;
const API_PREFIX = /^\/api(?:\/v\d+)?(?=\/)/;

/**
 * @discordjs/rest's DiscordAPIError and HTTPError (`requestBody`, `method`, `url`, `status`) and RateLimitError
 * (`route`, `majorParameter`). Recognised by shape, so a second copy of the package in node_modules is caught too.
 */
export function isRestError(error: object): boolean {
	const hasRequest = 'requestBody' in error && 'method' in error && ('url' in error || 'status' in error);
	return hasRequest || ('majorParameter' in error && 'route' in error);
}

/**
 * What failed, without what was sent: `requestBody` (the message text, file bytes), `rawError`, the URL's token and
 * RateLimitError's `majorParameter` (`{applicationId}/{token}` on webhook routes) never reach the log.
 */
export function serializeRestError(error: Readonly<Record<string, unknown>>, type: string): Record<string, unknown> {
	const message = describeMessage(error.message);
	const output: Record<string, unknown> = { type, message, stack: rebuildStack(error, message) };
	for (const field of KEPT_FIELDS) {
		const value = error[field];
		if (typeof value === 'string') output[field] = maskTokens(value);
		else if (typeof value === 'number' || typeof value === 'boolean') output[field] = value;
	}
	if (typeof error.url === 'string') output.route = routeOf(error.url);
	else if (typeof error.route === 'string') output.route = maskTokens(error.route);
	return output;
}

/**
 * Discord's message and its field errors (`content[BASE_TYPE_MAX_LENGTH]: Must be 2000 or fewer in length.`) describe
 * rules, but a few quote the value sent (`Value "…" is not snowflake.`), so quoted text is left out.
 */
function describeMessage(message: unknown): string {
	if (typeof message !== 'string') return '';
	return maskTokens(message)
		.replaceAll(/"[^"\n]*"/g, '"…"')
		.slice(0, MESSAGE_LIMIT);
}

/** The stack's frames say where the request was made; its first lines repeat the unfiltered message. */
function rebuildStack(error: Readonly<Record<string, unknown>>, message: string): string {
	const name = typeof error.name === 'string' ? maskTokens(error.name) : 'Error';
	const stack = typeof error.stack === 'string' ? error.stack : '';
	const frames = stack.split('\n').filter((line) => /^\s+at /.test(line));
	return [message === '' ? name : `${name}: ${message}`, ...frames.map(maskTokens)].join('\n');
}

/** `https://discord.com/api/v10/webhooks/1/abc/messages/%40original` → `/webhooks/1/:token/messages/@original`. */
function routeOf(url: string): string {
	let path = url;
	try {
		path = new URL(url).pathname;
	} catch {
		// Not a full URL: mask it as it is.
	}
	// Masked before decoding, so that an encoded slash cannot split a token in two.
	const masked = maskTokens(path.replace(API_PREFIX, ''));
	try {
		return decodeURIComponent(masked);
	} catch {
		return masked;
	}
}
