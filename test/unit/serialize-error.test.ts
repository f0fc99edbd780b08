import { Writable } from 'node:stream';
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import { serializeError } from '../../src/log/serialize-error.js';

const APPLICATION_ID = '111111111111111111';
const INTERACTION_ID = '222222222222222222';
const CHANNEL_ID = '333333333333333333';
const TOKEN = 'aW50ZXJhY3Rpb246MjIyMjIyMjIyMjIyMjIyMjIyOnNlY3JldC1pbnRlcmFjdGlvbi10b2tlbg';
const REPLY_TEXT = 'The purple elephant recipe calls for three saffron threads';
const FILE_BYTES = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg';
const API = 'https://discord.com/api/v10';

const ORIGINAL_URL = `${API}/webhooks/${APPLICATION_ID}/${TOKEN}/messages/%40original`;
const CALLBACK_URL = `${API}/interactions/${INTERACTION_ID}/${TOKEN}/callback?with_response=false`;
const FOLLOWUP_URL = `${API}/webhooks/${APPLICATION_ID}/${TOKEN}`;

const REQUEST = {
	body: { content: REPLY_TEXT, allowed_mentions: { parse: [] } },
	files: [{ name: 'reply.png', contentType: 'image/png', data: FILE_BYTES }],
};

const INVALID_FORM_BODY = {
	code: 50035,
	message: 'Invalid Form Body',
	errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] } },
};

function invalidFormBody(url = ORIGINAL_URL, method = 'PATCH'): DiscordAPIError {
	return new DiscordAPIError(INVALID_FORM_BODY, 50035, 400, method, url, REQUEST);
}

/** Logs one value as `err` through the bot's logger; returns the line as text and parsed. */
function logged(err: unknown): { text: string; line: { err: Record<string, unknown> } } {
	const chunks: string[] = [];
	const sink = new Writable({
		write(chunk: Buffer, _encoding, callback) {
			chunks.push(chunk.toString());
			callback();
		},
	});
	createLogger('debug', sink).warn({ err }, 'reply write failed');
	const text = chunks.join('');
	return { text, line: JSON.parse(text) as { err: Record<string, unknown> } };
}

function expectNothingSecret(text: string): void {
	expect(text).not.toContain(TOKEN);
	expect(text).not.toContain(REPLY_TEXT);
	expect(text).not.toContain(FILE_BYTES);
	expect(text).not.toContain('requestBody');
}

describe('serializeError: discord.js REST errors', () => {
	it('GIVEN a DiscordAPIError from an interaction reply THEN keeps code, status, method and the masked route only', () => {
		const { text, line } = logged(invalidFormBody());
		expectNothingSecret(text);
		expect(line.err).toMatchObject({
			type: 'DiscordAPIError',
			code: 50035,
			status: 400,
			method: 'PATCH',
			route: `/webhooks/${APPLICATION_ID}/:token/messages/@original`,
			message: 'Invalid Form Body\ncontent[BASE_TYPE_MAX_LENGTH]: Must be 2000 or fewer in length.',
		});
		expect(Object.keys(line.err).sort()).toEqual(['code', 'message', 'method', 'route', 'stack', 'status', 'type']);
		expect(line.err.stack).toMatch(/^DiscordAPIError\[50035\]: Invalid Form Body\n/);
		expect(line.err.stack).toMatch(/\n\s+at /);
	});

	it.each([
		['an interaction callback', CALLBACK_URL, 'POST', `/interactions/${INTERACTION_ID}/:token/callback`],
		['a followup', FOLLOWUP_URL, 'POST', `/webhooks/${APPLICATION_ID}/:token`],
		[
			'a followup edit',
			`${FOLLOWUP_URL}/messages/444444444444444444`,
			'PATCH',
			`/webhooks/${APPLICATION_ID}/:token/messages/444444444444444444`,
		],
		['a channel message', `${API}/channels/${CHANNEL_ID}/messages`, 'POST', `/channels/${CHANNEL_ID}/messages`],
		[
			'a token with an encoded slash',
			`${API}/webhooks/${APPLICATION_ID}/${TOKEN}%2Fmore/messages/%40original`,
			'PATCH',
			`/webhooks/${APPLICATION_ID}/:token/messages/@original`,
		],
	])('GIVEN %s THEN the route has no token', (_name, url, method, route) => {
		const { text, line } = logged(invalidFormBody(url, method));
		expectNothingSecret(text);
		expect(line.err).toMatchObject({ method, route });
	});

	it('GIVEN an HTTPError (5xx) THEN keeps status, method, route and the status text', () => {
		const { text, line } = logged(new HTTPError(500, 'Internal Server Error', 'PATCH', ORIGINAL_URL, REQUEST));
		expectNothingSecret(text);
		expect(line.err).toMatchObject({
			type: 'HTTPError',
			status: 500,
			method: 'PATCH',
			route: `/webhooks/${APPLICATION_ID}/:token/messages/@original`,
			message: 'Internal Server Error',
		});
	});

	it('GIVEN a RateLimitError on a webhook THEN drops the url and major parameter (both hold the token)', () => {
		const error = new RateLimitError({
			timeToReset: 1_000,
			limit: 5,
			method: 'PATCH',
			hash: 'abc123',
			url: ORIGINAL_URL,
			route: '/webhooks/:id/:token/messages/@original',
			majorParameter: `${APPLICATION_ID}/${TOKEN}`,
			global: false,
			retryAfter: 1_000,
			sublimitTimeout: 0,
			scope: 'user',
		});
		const { text, line } = logged(error);
		expectNothingSecret(text);
		expect(line.err).toMatchObject({
			type: 'RateLimitError',
			method: 'PATCH',
			route: `/webhooks/${APPLICATION_ID}/:token/messages/@original`,
			retryAfter: 1_000,
			global: false,
		});
	});

	it('GIVEN Discord echoes a value in a field error THEN the quoted value is masked', () => {
		const echoing = {
			code: 50035,
			message: 'Invalid Form Body',
			errors: {
				message_reference: {
					_errors: [{ code: 'NUMBER_TYPE_COERCE', message: `Value "${REPLY_TEXT}" is not snowflake.` }],
				},
			},
		};
		const { text, line } = logged(new DiscordAPIError(echoing, 50035, 400, 'POST', FOLLOWUP_URL, REQUEST));
		expectNothingSecret(text);
		expect(line.err.message).toBe(
			'Invalid Form Body\nmessage_reference[NUMBER_TYPE_COERCE]: Value "…" is not snowflake.',
		);
	});
});

describe('serializeError: wrapped errors', () => {
	it('GIVEN a DiscordAPIError as the cause of another error THEN the cause is serialized the same way', () => {
		const error = new Error('could not answer the interaction', { cause: invalidFormBody() });
		const { text, line } = logged(error);
		expectNothingSecret(text);
		expect(line.err).toMatchObject({
			type: 'Error',
			message: 'could not answer the interaction',
			cause: {
				type: 'DiscordAPIError',
				code: 50035,
				status: 400,
				route: `/webhooks/${APPLICATION_ID}/:token/messages/@original`,
			},
		});
	});

	it('GIVEN a cause chain three deep THEN every link is kept and masked', () => {
		const middle = Object.assign(new Error(`request to ${ORIGINAL_URL} failed`, { cause: invalidFormBody() }), {
			kind: 'network',
		});
		const { text, line } = logged(new Error('outer', { cause: middle }));
		expectNothingSecret(text);
		expect(line.err).toMatchObject({
			message: 'outer',
			cause: {
				message: `request to ${API}/webhooks/${APPLICATION_ID}/:token/messages/%40original failed`,
				kind: 'network',
				cause: { type: 'DiscordAPIError', status: 400 },
			},
		});
	});

	it('GIVEN an AggregateError THEN each of its errors is serialized the same way', () => {
		const error = new AggregateError([invalidFormBody(), new Error(`fetch ${CALLBACK_URL}`)], 'both writes failed');
		const { text, line } = logged(error);
		expectNothingSecret(text);
		expect(line.err).toMatchObject({
			type: 'AggregateError',
			message: 'both writes failed',
			aggregateErrors: [
				{ type: 'DiscordAPIError', code: 50035 },
				{ type: 'Error', message: `fetch ${API}/interactions/${INTERACTION_ID}/:token/callback?with_response=false` },
			],
		});
	});

	it('GIVEN a DiscordAPIError kept in another property of an error THEN it is serialized the same way', () => {
		const error = Object.assign(new Error('wrapped'), { original: invalidFormBody() });
		const { text, line } = logged(error);
		expectNothingSecret(text);
		expect(line.err).toMatchObject({ original: { type: 'DiscordAPIError', status: 400 } });
	});

	it('GIVEN errors that cause each other THEN logs once around the cycle and stops', () => {
		const first = new Error(`first ${ORIGINAL_URL}`);
		const second = new Error('second', { cause: first });
		first.cause = second;
		const { text, line } = logged(first);
		expectNothingSecret(text);
		expect(line.err).toMatchObject({
			message: `first ${API}/webhooks/${APPLICATION_ID}/:token/messages/%40original`,
			cause: { message: 'second', cause: { message: '[circular]' } },
		});
	});
});

describe('serializeError: other errors and values', () => {
	it("GIVEN an ordinary error THEN keeps pino's fields: type, message, stack and its own properties", () => {
		const error = Object.assign(new TypeError('fetch failed'), { code: 'ECONNRESET', attempt: 2 });
		const serialized = serializeError(error) as Record<string, unknown>;
		expect(serialized).toMatchObject({ type: 'TypeError', message: 'fetch failed', code: 'ECONNRESET', attempt: 2 });
		expect(serialized.stack).toMatch(/^TypeError: fetch failed\n\s+at /);
	});

	it('GIVEN a token in the stack THEN it is masked there too', () => {
		const error = new Error(`PATCH ${ORIGINAL_URL}`);
		const serialized = serializeError(error) as { stack: string };
		expect(serialized.stack).toContain(`/webhooks/${APPLICATION_ID}/:token/messages/%40original`);
		expect(serialized.stack).not.toContain(TOKEN);
	});

	it('GIVEN something that is not an error THEN passes it through, strings masked', () => {
		expect(serializeError(42)).toBe(42);
		expect(serializeError(undefined)).toBeUndefined();
		expect(serializeError(`rejected: ${FOLLOWUP_URL}`)).toBe(`rejected: ${API}/webhooks/${APPLICATION_ID}/:token`);
	});

	it('GIVEN an error logged as the first argument THEN the same serializer applies', () => {
		const chunks: string[] = [];
		const sink = new Writable({
			write(chunk: Buffer, _encoding, callback) {
				chunks.push(chunk.toString());
				callback();
			},
		});
		createLogger('debug', sink).error(invalidFormBody(), 'interaction failed');
		const text = chunks.join('');
		expectNothingSecret(text);
		expect(text).toContain(':token');
	});
});

describe('database errors in the log', () => {
	const PASSWORD = 'hunter2-database-password';

	it('drops the pg client a pool error carries, whose connection parameters hold the password', () => {
		const error = Object.assign(new Error('Connection terminated unexpectedly'), {
			client: { connectionParameters: { user: 'bot', password: PASSWORD, host: 'db', port: 5432 } },
		});
		const { text, line } = logged(error);
		expect(line.err['message']).toBe('Connection terminated unexpectedly');
		expect(text).not.toContain(PASSWORD);
		expect(line.err).not.toHaveProperty('client');
	});

	it('masks the password of a database URL anywhere in a message', () => {
		const { text } = logged(new Error(`could not connect to postgres://bot:${PASSWORD}@db.example:5432/gemthread`));
		expect(text).not.toContain(PASSWORD);
		expect(text).toContain('postgres://bot::password@db.example:5432/gemthread');
	});
});
