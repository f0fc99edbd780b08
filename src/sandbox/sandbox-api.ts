import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeAttachmentInput, FakeDiscord } from '../emulator/discord/index.js';
import { botTypingIn } from './bot-typing.js';
import { readJsonBody } from './read-json-body.js';
import type { Speaker } from './sandbox-speakers.js';
import { channelsView, messagesView, nameOf } from './sandbox-view.js';

export type SandboxApiDeps = {
	readonly discord: FakeDiscord;
	readonly speakers: readonly Speaker[];
	/** Which model answers, as the page's header says it. */
	readonly model: { readonly name: string; readonly demo: boolean };
};

type Body = Record<string, unknown>;

class BadRequest extends Error {}

function send(response: ServerResponse, status: number, body: unknown): void {
	response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
	response.end(JSON.stringify(body));
}

const text = (body: Body, key: string): string => {
	const value = body[key];
	if (typeof value !== 'string') throw new BadRequest(`${key} is missing`);
	return value;
};

async function bodyOf(request: IncomingMessage): Promise<Body> {
	try {
		const body = await readJsonBody(request);
		if (typeof body !== 'object' || body === null) throw new Error('the body is not a JSON object');
		return body as Body;
	} catch (error) {
		throw new BadRequest(error instanceof Error ? error.message : String(error));
	}
}

function filesOf(body: Body): FakeAttachmentInput[] {
	const files = body.files ?? [];
	if (!Array.isArray(files)) throw new BadRequest('files must be a list');
	return (files as Body[]).map((file) => ({
		filename: text(file, 'filename'),
		contentType:
			typeof file.contentType === 'string' && file.contentType !== '' ? file.contentType : 'application/octet-stream',
		data: Buffer.from(text(file, 'data'), 'base64'),
	}));
}

/** The JSON API the page talks to: the emulated guild as a member sees it, and what a member can do in it. */
export function createSandboxApi(deps: SandboxApiDeps) {
	const { discord, speakers } = deps;
	const speaker = (id: string): Speaker => {
		const found = speakers.find((entry) => entry.id === id);
		if (!found) throw new BadRequest('speak as one of the listed members');
		return found;
	};
	const commands = (): unknown[] => discord.commands.guild.get(discord.guild.id) ?? discord.commands.global;

	async function post(path: string, body: Body): Promise<unknown> {
		const as = speaker(text(body, 'as')).user;
		const channelMessages = /^\/api\/channels\/(\d+)\/messages$/.exec(path);
		if (channelMessages?.[1] !== undefined) {
			const files = filesOf(body);
			const message = await discord.userSays(
				channelMessages[1],
				as,
				text(body, 'content'),
				files.length > 0 ? { attachments: files } : {},
			);
			return { id: message.id };
		}
		if (path === '/api/commands') {
			const options = body.options ?? [];
			if (!Array.isArray(options)) throw new BadRequest('options must be a list');
			const files = filesOf(body);
			const interaction = await discord.slash({
				name: text(body, 'name'),
				options,
				channelId: text(body, 'channelId'),
				user: as,
				...(files.length > 0 ? { attachments: files } : {}),
			});
			return { id: interaction.id };
		}
		if (path === '/api/buttons') {
			const interaction = await discord.clickButton({
				messageId: text(body, 'messageId'),
				channelId: text(body, 'channelId'),
				customId: text(body, 'customId'),
				user: as,
			});
			return { id: interaction.id };
		}
		return undefined;
	}

	function get(url: URL): unknown {
		if (url.pathname === '/api/state') {
			return {
				guild: { id: discord.guild.id, name: discord.guild.name },
				bot: { id: discord.bot.id, name: nameOf(discord.bot) },
				speakers: speakers.map(({ id, name, role }) => ({ id, name, role })),
				roles: discord.roles,
				typing: botTypingIn(discord, Date.now()),
				channels: channelsView(discord),
				commands: commands(),
				model: deps.model,
			};
		}
		const channelMessages = /^\/api\/channels\/(\d+)\/messages$/.exec(url.pathname);
		if (channelMessages?.[1] !== undefined)
			return messagesView(discord, channelMessages[1], url.searchParams.get('as') ?? '');
		return undefined;
	}

	/** Answers `/api/…` requests; false for any other path. */
	return async function handle(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		if (!url.pathname.startsWith('/api/')) return false;
		try {
			const file = /^\/api\/attachments\/(\d+)$/.exec(url.pathname)?.[1];
			const attachment = file === undefined ? undefined : discord.attachment(file);
			if (attachment) {
				const type = attachment.servedContentType ?? attachment.contentType ?? 'application/octet-stream';
				response.writeHead(200, { 'Content-Type': type, 'Content-Length': attachment.data.length });
				response.end(attachment.data);
				return true;
			}
			const result = request.method === 'POST' ? await post(url.pathname, await bodyOf(request)) : get(url);
			if (result === undefined)
				send(response, 404, { error: `no such thing: ${request.method ?? ''} ${url.pathname}` });
			else send(response, 200, result);
		} catch (error) {
			send(response, error instanceof BadRequest ? 400 : 422, {
				error: error instanceof Error ? error.message : String(error),
			});
		}
		return true;
	};
}
