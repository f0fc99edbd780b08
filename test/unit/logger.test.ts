import { Writable } from 'node:stream';
import { DiscordAPIError } from 'discord.js';
import { describe, expect, it, vi } from 'vitest';
import type { LogFormat } from '../../src/config/config.js';
import type { PrettyStreamFactory } from '../../src/log/logger.js';
import { chooseLogFormat, createProcessLogger } from '../../src/log/logger.js';

function sink(): { stream: Writable; text: () => string } {
	const chunks: string[] = [];
	const stream = new Writable({
		write(chunk: Buffer, _encoding, callback) {
			chunks.push(chunk.toString());
			callback();
		},
	});
	return { stream, text: () => chunks.join('') };
}

const missingPretty = (): Promise<PrettyStreamFactory> =>
	Promise.reject(Object.assign(new Error("Cannot find package 'pino-pretty'"), { code: 'ERR_MODULE_NOT_FOUND' }));

async function firstLine(format: LogFormat, isTTY: boolean, loadPretty?: () => Promise<PrettyStreamFactory>) {
	const output = sink();
	const logger = await createProcessLogger(
		{ logLevel: 'info', logFormat: format },
		{ isTTY, destination: output.stream, ...(loadPretty === undefined ? {} : { loadPretty }) },
	);
	logger.info({ guilds: 2 }, 'logged in to Discord');
	return vi.waitFor(() => {
		const text = output.text();
		if (!text.includes('\n')) throw new Error('no line yet');
		return text.split('\n')[0] ?? '';
	});
}

function isJson(line: string): boolean {
	try {
		JSON.parse(line);
		return true;
	} catch {
		return false;
	}
}

describe('chooseLogFormat', () => {
	it.each([
		['auto', true, 'pretty'],
		['auto', false, 'json'],
		['json', true, 'json'],
		['json', false, 'json'],
		['pretty', true, 'pretty'],
		['pretty', false, 'pretty'],
	] as const)('GIVEN LOG_FORMAT=%s and a terminal: %s THEN %s', (format, isTTY, expected) => {
		expect(chooseLogFormat(format, isTTY)).toBe(expected);
	});
});

describe('createProcessLogger', () => {
	it('writes readable lines when stdout is a terminal', async () => {
		const line = await firstLine('auto', true);
		expect(isJson(line)).toBe(false);
		expect(line).toMatch(/^\S*\[\d{2}:\d{2}:\d{2}\]\S* \S*INFO\S*: \S*logged in to Discord/);
	});

	it('writes JSON lines when stdout is not a terminal, without loading pino-pretty', async () => {
		const loadPretty = vi.fn(missingPretty);
		const line = await firstLine('auto', false, loadPretty);
		expect(JSON.parse(line)).toMatchObject({ level: 30, msg: 'logged in to Discord', guilds: 2 });
		expect(loadPretty).not.toHaveBeenCalled();
	});

	it('falls back to JSON without a word when pino-pretty is not installed (a production install)', async () => {
		const line = await firstLine('auto', true, missingPretty);
		expect(JSON.parse(line)).toMatchObject({ msg: 'logged in to Discord' });
	});

	it('refuses LOG_FORMAT=pretty without pino-pretty, in one line saying what to do', async () => {
		const failure = createProcessLogger({ logLevel: 'info', logFormat: 'pretty' }, { loadPretty: missingPretty });
		await expect(failure).rejects.toThrow(/^LOG_FORMAT=pretty needs the pino-pretty package.*npm install/);
		await expect(failure).rejects.not.toThrow(/\n/);
	});

	it('writes plain readable lines for LOG_FORMAT=pretty outside a terminal (no colour codes)', async () => {
		const line = await firstLine('pretty', false);
		expect(line).toMatch(/^\[\d{2}:\d{2}:\d{2}\] INFO: logged in to Discord$/);
	});

	it('JSON when told so, even in a terminal', async () => {
		const line = await firstLine('json', true);
		expect(JSON.parse(line)).toMatchObject({ msg: 'logged in to Discord' });
	});

	it.each(['pretty', 'json'] as const)('masks secrets in %s lines', async (format) => {
		const output = sink();
		const logger = await createProcessLogger(
			{ logLevel: 'info', logFormat: format },
			{ isTTY: false, destination: output.stream },
		);
		logger.info(
			{ token: 'discord-secret', config: { geminiApiKey: 'gemini-secret' }, headers: { authorization: 'Bot abc' } },
			'configured',
		);
		const text = await vi.waitFor(() => {
			if (!output.text().includes('configured')) throw new Error('not written yet');
			return output.text();
		});
		expect(text).toContain('[redacted]');
		expect(text).not.toContain('discord-secret');
		expect(text).not.toContain('gemini-secret');
		expect(text).not.toContain('Bot abc');
	});

	it.each(['pretty', 'json'] as const)(
		'keeps the request body and interaction token of a discord.js error out of %s lines',
		async (format) => {
			const output = sink();
			const logger = await createProcessLogger(
				{ logLevel: 'info', logFormat: format },
				{ isTTY: false, destination: output.stream },
			);
			const url = 'https://discord.com/api/v10/webhooks/111111111111111111/secret-interaction-token/messages/@original';
			const body = { body: { content: 'the reply text' }, files: [{ name: 'a.png', data: 'ZmlsZSBieXRlcw' }] };
			const error = new DiscordAPIError({ code: 50035, message: 'Invalid Form Body' }, 50035, 400, 'PATCH', url, body);
			logger.warn({ err: new Error('could not answer', { cause: error }) }, 'interaction failed');
			const text = await vi.waitFor(() => {
				if (!output.text().includes('interaction failed')) throw new Error('not written yet');
				return output.text();
			});
			expect(text).toContain('/webhooks/111111111111111111/:token/messages/@original');
			expect(text).toContain('50035');
			expect(text).not.toContain('secret-interaction-token');
			expect(text).not.toContain('the reply text');
			expect(text).not.toContain('ZmlsZSBieXRlcw');
		},
	);
});
