import { maskTokens } from './mask-tokens.js';
import { isRestError, serializeRestError } from './serialize-rest-error.js';

type ErrorLike = Readonly<Record<string, unknown>> & { readonly message: string };

/**
 * Kept out of the log on any error: what a request carried (message text, files) and how it was authorised, and the
 * database client pg attaches to a pool error (its connection parameters hold the password).
 */
const DROPPED_KEYS = new Set(['requestBody', 'rawError', 'headers', 'client', 'connectionParameters', 'password']);

/**
 * pino's `err` serializer, made safe for discord.js errors. REST errors keep what failed and drop what was sent (see
 * `serializeRestError`); any other error gets pino's standard fields (type, message, stack, its own properties,
 * `aggregateErrors`) with tokens masked. Unlike pino, a `cause` is serialized as an object of its own, by this same
 * function, rather than appended to the message and stack, so a wrapped DiscordAPIError is filtered too.
 */
export function serializeError(value: unknown): unknown {
	return serialize(value, new Set());
}

function serialize(value: unknown, ancestors: Set<object>): unknown {
	if (typeof value === 'string') return maskTokens(value);
	if (!isErrorLike(value)) return value;
	if (ancestors.has(value)) return { type: typeOf(value), message: '[circular]' };
	if (isRestError(value)) return serializeRestError(value, typeOf(value));
	ancestors.add(value);
	const output: Record<string, unknown> = {
		type: typeOf(value),
		message: maskTokens(value.message),
		stack: typeof value.stack === 'string' ? maskTokens(value.stack) : '',
	};
	const { errors, cause } = value;
	if (Array.isArray(errors)) output.aggregateErrors = errors.map((error: unknown) => serialize(error, ancestors));
	for (const key in value) {
		if (Object.hasOwn(output, key) || DROPPED_KEYS.has(key) || key === 'cause') continue;
		if (key === 'errors' && Array.isArray(errors)) continue;
		output[key] = serialize(value[key], ancestors);
	}
	if (cause !== undefined) output.cause = serialize(cause, ancestors);
	ancestors.delete(value);
	return output;
}

/** pino's test: anything with a string `message` is logged as an error. */
function isErrorLike(value: unknown): value is ErrorLike {
	return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}

/** As pino names it: the constructor's name (`DiscordAPIError`, not the `name` getter's `DiscordAPIError[50035]`). */
function typeOf(error: ErrorLike): string {
	const constructor: unknown = error.constructor;
	if (typeof constructor === 'function' && constructor.name !== '') return constructor.name;
	return typeof error.name === 'string' ? maskTokens(error.name) : 'Error';
}
