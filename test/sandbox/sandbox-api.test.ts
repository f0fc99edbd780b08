import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { startSandbox } from '../../src/sandbox/start-sandbox.js';
import type { FakeGemini } from '../fakes/fake-gemini/index.js';
import { startFakeGemini } from '../fakes/fake-gemini/index.js';
import { sampleFiles } from '../support/sample-files.js';

type State = {
	bot: { id: string };
	speakers: { id: string; name: string }[];
	roles: { id: string; name: string }[];
	typing: string[];
	channels: { id: string; name: string; kind: string }[];
	commands: { name: string }[];
	model: { name: string; demo: boolean };
};
type Message = {
	id: string;
	author: { bot: boolean; name: string };
	content: string;
	ephemeral: boolean;
	attachments: { url: string }[];
	buttons: { customId: string; label: string }[];
};

describe('the sandbox with a model from the settings (the page API, without a browser)', () => {
	let gemini: FakeGemini;
	let sandbox: Sandbox;
	let directory: string;
	let state: State;

	const get = async <T>(path: string): Promise<T> => (await fetch(new URL(path, sandbox.url))).json() as Promise<T>;
	const post = (path: string, body: unknown): Promise<Response> =>
		fetch(new URL(path, sandbox.url), {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(body),
		});
	const speaker = (name: string): string => state.speakers.find((entry) => entry.name === name)?.id ?? '';
	const general = (): string => state.channels.find((channel) => channel.name === 'general')?.id ?? '';

	beforeAll(async () => {
		gemini = await startFakeGemini();
		directory = mkdtempSync(join(tmpdir(), 'gemthread-sandbox-api-'));
		sandbox = await startSandbox({
			env: { GEMINI_API_KEY: gemini.apiKey, GEMINI_BASE_URL: gemini.url },
			databasePath: join(directory, 'data', 'sandbox.db'),
			host: '127.0.0.1',
			port: 0,
			logger: createLogger('silent'),
		});
		await sandbox.discord.waitFor(() => sandbox.discord.commands.guild.get(sandbox.discord.guild.id)?.length);
		state = await get<State>('/api/state');
	});

	afterAll(async () => {
		await (sandbox as Sandbox | undefined)?.stop();
		await (gemini as FakeGemini | undefined)?.close();
		rmSync(directory, { recursive: true, force: true });
	});

	it('listens on 127.0.0.1 only, with the emulator and the page', () => {
		expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
		expect(sandbox.discord.apiBase).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/);
	});

	it("lists the guild's channels, the members to speak as and the slash commands as the bot registered them", () => {
		expect(state.channels.map((channel) => channel.name)).toEqual(['general', 'random']);
		expect(state.speakers.map((entry) => entry.name)).toEqual(['Moderator', 'Alice']);
		expect(state.commands.map((command) => command.name)).toEqual(
			expect.arrayContaining(['persona', 'settings', 'imagine', 'summarize', 'forget']),
		);
		expect(state.roles[0]).toEqual({ id: sandbox.discord.guild.id, name: '@everyone' });
		expect(state.model).toEqual({ name: 'gemini-2.5-flash', demo: false });
	});

	it('answers a mention through the configured model, in its own database file', async () => {
		gemini.respondWith(() => ({ kind: 'reply', chunks: ['Hello ', 'from ', 'Gemini.'] }));
		const sent = await post(`/api/channels/${general()}/messages`, {
			as: speaker('Alice'),
			content: `<@${state.bot.id}> hi`,
		});
		expect(sent.status).toBe(200);
		const { id } = (await sent.json()) as { id: string };
		const answer = await sandbox.discord.waitFor(
			async () =>
				(await get<Message[]>(`/api/channels/${id}/messages?as=${speaker('Alice')}`)).find(
					(message) => message.author.bot && message.content === 'Hello from Gemini.',
				),
			{ timeoutMs: 10_000 },
		);
		expect(answer.author.name).toBe('Gemthread');
		expect(gemini.requests).toHaveLength(1);
		expect(existsSync(join(directory, 'data', 'sandbox.db'))).toBe(true);
	});

	it("forgets a thread through /forget and its Delete button, as the thread's member sees it", async () => {
		const thread = (await get<State>('/api/state')).channels.find((channel) => channel.kind === 'thread');
		const threadId = thread?.id ?? '';
		const alice = speaker('Alice');
		const asked = await post('/api/commands', { as: alice, channelId: threadId, name: 'forget', options: [] });
		expect(asked.status).toBe(200);
		const confirm = await sandbox.discord.waitFor(async () => {
			const messages = await get<Message[]>(`/api/channels/${threadId}/messages?as=${alice}`);
			return messages.find(
				(message) => message.ephemeral && message.buttons.some((button) => button.label === 'Delete'),
			);
		});
		const remove = confirm.buttons.find((button) => button.label === 'Delete');
		const clicked = await post('/api/buttons', {
			as: alice,
			channelId: threadId,
			messageId: confirm.id,
			customId: remove?.customId,
		});
		expect(clicked.status).toBe(200);
		const done = await sandbox.discord.waitFor(async () => {
			const messages = await get<Message[]>(`/api/channels/${threadId}/messages?as=${alice}`);
			return messages.find((message) => message.id === confirm.id && message.content.startsWith('Deleted: '));
		});
		expect(done.buttons).toEqual([]);
	});

	it('shows a picture the bot posts with /imagine, served byte for byte', async () => {
		const drawn = await sampleFiles.png('#ffcc00', 16);
		gemini.enqueue({ kind: 'image', text: 'A sunny field.', images: [{ mimeType: 'image/png', data: drawn }] });
		const alice = speaker('Alice');
		await post('/api/commands', {
			as: alice,
			channelId: general(),
			name: 'imagine',
			options: [{ type: 3, name: 'prompt', value: 'a sunny field' }],
		});
		const drawnMessage = await sandbox.discord.waitFor(
			async () =>
				(await get<Message[]>(`/api/channels/${general()}/messages?as=${alice}`)).find(
					(message) => message.content === 'A sunny field.' && message.attachments.length === 1,
				),
			{ timeoutMs: 10_000 },
		);
		const served = await fetch(new URL(drawnMessage.attachments[0]?.url ?? '', sandbox.url));
		expect(served.headers.get('content-type')).toBe('image/png');
		expect(Buffer.from(await served.arrayBuffer())).toEqual(drawn);
	});

	it("says the bot is typing in a thread until its answer's first words", async () => {
		gemini.respondWith(() => ({ kind: 'reply', chunks: ['Slow ', 'answer.'], firstChunkDelayMs: 2_500 }));
		const sent = await post(`/api/channels/${general()}/messages`, {
			as: speaker('Alice'),
			content: `<@${state.bot.id}> take your time`,
		});
		const { id } = (await sent.json()) as { id: string };
		await sandbox.discord.waitFor(async () => (await get<State>('/api/state')).typing.includes(id), {
			timeoutMs: 5_000,
		});
		await sandbox.discord.waitFor(
			() => sandbox.discord.messagesIn(id).some((message) => message.author.bot && message.content !== ''),
			{ timeoutMs: 10_000 },
		);
		expect((await get<State>('/api/state')).typing).not.toContain(id);
	});

	it('shows an ephemeral answer to the member who ran the command and to no one else', async () => {
		const ran = await post('/api/commands', {
			as: speaker('Moderator'),
			channelId: general(),
			name: 'persona',
			options: [{ type: 1, name: 'show', options: [] }],
		});
		expect(ran.status).toBe(200);
		const mine = await sandbox.discord.waitFor(async () => {
			const messages = await get<Message[]>(`/api/channels/${general()}/messages?as=${speaker('Moderator')}`);
			return messages.find((message) => message.ephemeral && message.content !== '');
		});
		expect(mine.author.bot).toBe(true);
		const theirs = await get<Message[]>(`/api/channels/${general()}/messages?as=${speaker('Alice')}`);
		expect(theirs.map((message) => message.id)).not.toContain(mine.id);
	});

	it("serves a member's file back to the page byte for byte", async () => {
		const bytes = Buffer.from('plain notes\n');
		const sent = await post(`/api/channels/${general()}/messages`, {
			as: speaker('Alice'),
			content: 'notes attached',
			files: [{ filename: 'notes.txt', contentType: 'text/plain', data: bytes.toString('base64') }],
		});
		const { id } = (await sent.json()) as { id: string };
		const messages = await get<Message[]>(`/api/channels/${general()}/messages?as=${speaker('Alice')}`);
		const url = messages.find((message) => message.id === id)?.attachments[0]?.url ?? '';
		const served = await fetch(new URL(url, sandbox.url));
		expect(served.headers.get('content-type')).toBe('text/plain');
		expect(Buffer.from(await served.arrayBuffer())).toEqual(bytes);
	});

	it('tells the page of every change as a server-sent event', async () => {
		const controller = new AbortController();
		const events = await fetch(new URL('/api/events', sandbox.url), { signal: controller.signal });
		expect(events.headers.get('content-type')).toBe('text/event-stream');
		const reader = events.body?.getReader();
		let seen = '';
		const read = (async () => {
			while (reader && !seen.includes('data: change')) {
				const chunk = await reader.read();
				if (chunk.done) return;
				seen += Buffer.from(chunk.value).toString();
			}
		})();
		await post(`/api/channels/${general()}/messages`, { as: speaker('Alice'), content: 'anyone here?' });
		await read;
		controller.abort();
		expect(seen).toContain('data: change');
	});

	it('refuses what a member could not do, in a short message', async () => {
		const stranger = await post('/api/commands', { as: '1', channelId: general(), name: 'persona', options: [] });
		expect(stranger.status).toBe(400);
		await expect(stranger.json()).resolves.toEqual({ error: 'speak as one of the listed members' });
		const broken = await fetch(new URL('/api/buttons', sandbox.url), { method: 'POST', body: '{not json' });
		expect(broken.status).toBe(400);
		await expect(broken.json()).resolves.toEqual({ error: 'the body is not JSON' });
	});
});
