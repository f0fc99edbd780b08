import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, DiscordjsErrorCodes } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { describeStartupError } from '../../src/startup/describe-startup-error.js';
import { openDatabase } from '../../src/store/sqlite/open-database.js';

const directories: string[] = [];
afterEach(() => {
	for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function tempDirectory(): string {
	const directory = mkdtempSync(join(tmpdir(), 'gemthread-describe-'));
	directories.push(directory);
	return directory;
}

/** The error openDatabase throws for `path`, described. */
function describeOpening(path: string): string {
	try {
		openDatabase(path).close();
	} catch (error) {
		return describeStartupError(error);
	}
	throw new Error(`expected opening ${path} to fail`);
}

function expectOneLine(text: string): void {
	expect(text).not.toContain('\n');
	expect(text.length).toBeLessThan(300);
}

describe('describeStartupError', () => {
	it('names DATABASE_PATH for a file that is not a database, and says what to do', () => {
		const path = join(tempDirectory(), 'bot.db');
		writeFileSync(path, 'garbage, not SQLite'.repeat(500));
		const text = describeOpening(path);
		expect(text).toBe(
			`DATABASE_PATH (${path}) is not a SQLite database, or is damaged. Restore it from a backup, or move it away to start afresh, or set DATABASE_PATH to another file.`,
		);
		expectOneLine(text);
	});

	it('names DATABASE_PATH and the file in the way when a parent is a file', () => {
		const file = join(tempDirectory(), 'notes.txt');
		writeFileSync(file, 'a file');
		for (const path of [join(file, 'bot.db'), join(file, 'deeper', 'bot.db')]) {
			const text = describeOpening(path);
			expect(text).toBe(
				`DATABASE_PATH (${path}) needs ${file} to be a folder, but it is a file. Set DATABASE_PATH to a file inside a folder, or move that file away.`,
			);
			expectOneLine(text);
		}
	});

	it.skipIf(process.platform !== 'linux')('names DATABASE_PATH and the folder that cannot be made under /proc', () => {
		const text = describeOpening('/proc/gemthread/bot.db');
		expect(text).toBe(
			'DATABASE_PATH (/proc/gemthread/bot.db): the folder /proc/gemthread cannot be created (ENOENT). Set DATABASE_PATH to a file in a folder the bot can write to.',
		);
	});

	it('names DATABASE_PATH when it is a folder', () => {
		const directory = tempDirectory();
		expect(describeOpening(directory)).toMatch(/^DATABASE_PATH \(.+\) cannot be opened\. .*not a folder/);
	});

	it('names DISCORD_TOKEN when the gateway closes with 4004 Authentication failed', () => {
		// The exact rejection of client.login(): @discordjs/ws WebSocketShard#onClose emits a bare Error for 4004.
		const text = describeStartupError(new Error('Authentication failed'));
		expect(text).toMatch(/^Discord's gateway rejected DISCORD_TOKEN \(Authentication failed\)\. /);
		expect(text).toContain('Reset Token');
		expectOneLine(text);
	});

	it('names DISCORD_TOKEN when discord.js finds it invalid', async () => {
		const client = new Client({ intents: [] });
		const error = await client.login('').catch((rejection: unknown) => rejection);
		await client.destroy();
		expect(error).toMatchObject({ code: DiscordjsErrorCodes.TokenInvalid });
		const text = describeStartupError(error);
		expect(text).toMatch(/^Discord rejected DISCORD_TOKEN\. Copy a fresh token .* into DISCORD_TOKEN\.$/);
	});

	it('points at the Developer Portal for disallowed intents', () => {
		expect(describeStartupError(new Error('Used disallowed intents'))).toContain('Message Content Intent');
	});

	it('keeps only the first line of anything else', () => {
		expect(describeStartupError(new Error('first line\nsecond line'))).toBe('first line');
		expect(describeStartupError('a thrown string')).toBe('a thrown string');
	});
});
