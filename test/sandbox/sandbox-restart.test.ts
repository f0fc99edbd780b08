import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { startSandbox } from '../../src/sandbox/start-sandbox.js';

type State = {
	channels: { id: string; name: string }[];
	speakers: { id: string; name: string }[];
	commands: unknown[];
};
type Message = { content: string; ephemeral: boolean };

const directories: string[] = [];
const running: Sandbox[] = [];
afterEach(async () => {
	for (const sandbox of running.splice(0)) await sandbox.stop();
	for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

async function start(databasePath: string): Promise<{ sandbox: Sandbox; state: State }> {
	const sandbox = await startSandbox({
		env: {},
		databasePath,
		host: '127.0.0.1',
		port: 0,
		logger: createLogger('silent'),
	});
	running.push(sandbox);
	const { discord } = sandbox;
	await discord.waitFor(() => discord.commands.guild.get(discord.guild.id)?.length);
	const state = (await (await fetch(new URL('/api/state', sandbox.url))).json()) as State;
	return { sandbox, state };
}

const idOf = (list: { id: string; name: string }[], name: string): string =>
	list.find((entry) => entry.name === name)?.id ?? '';

async function persona(sandbox: Sandbox, state: State, options: unknown[]): Promise<string> {
	const as = idOf(state.speakers, 'Moderator');
	const channelId = idOf(state.channels, 'general');
	const before = sandbox.discord.interactions.length;
	await fetch(new URL('/api/commands', sandbox.url), {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ as, channelId, name: 'persona', options }),
	});
	return sandbox.discord.waitFor(async () => {
		if (sandbox.discord.interactions.length === before) return undefined;
		const messages = (await (
			await fetch(new URL(`/api/channels/${channelId}/messages?as=${as}`, sandbox.url))
		).json()) as Message[];
		return messages.filter((message) => message.ephemeral && message.content !== '').at(-1)?.content;
	});
}

describe('the sandbox across restarts', () => {
	it("keeps its server's ids, registers the commands again, and still knows the persona set before", async () => {
		const directory = mkdtempSync(join(tmpdir(), 'gemthread-sandbox-restart-'));
		directories.push(directory);
		const databasePath = join(directory, 'sandbox.db');
		const first = await start(databasePath);
		expect(
			await persona(first.sandbox, first.state, [
				{ type: 1, name: 'set', options: [{ type: 3, name: 'prompt', value: 'You are a lighthouse keeper.' }] },
			]),
		).toContain('Persona set for');
		await running.splice(0)[0]?.stop();

		const second = await start(databasePath);
		expect(second.state.channels).toEqual(first.state.channels);
		expect(second.state.speakers).toEqual(first.state.speakers);
		expect(second.state.commands.length).toBe(first.state.commands.length);
		expect(await persona(second.sandbox, second.state, [{ type: 1, name: 'show', options: [] }])).toContain(
			'You are a lighthouse keeper.',
		);
	});
});
