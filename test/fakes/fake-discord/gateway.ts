import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { GatewayIntentBits } from 'discord-api-types/v10';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { guildCreatePayload, readyPayload } from './guild-payload.js';
import { memberPayload } from './payloads.js';
import { notifyChange, type FakeState } from './state.js';

type GatewayPayload = { op: number; d: unknown; s: number | null; t: string | null };
type Session = { id: string; seq: number; intents: number; socket: WebSocket | undefined; backlog: GatewayPayload[] };
type ClientPayload = { op?: unknown; d?: unknown };

const BACKLOG_LIMIT = 1_000;
const MESSAGE_EVENTS = new Set(['MESSAGE_CREATE', 'MESSAGE_UPDATE', 'MESSAGE_DELETE']);

export type Gateway = {
	handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
	dispatch(event: string, data: unknown): void;
	/** Drops every socket abruptly (close code 1006); sessions stay resumable. */
	dropConnections(): void;
	/** While on, IDENTIFY is closed with 4004 whatever the token. */
	rejectIdentify(reject: boolean): void;
	close(): void;
};

function parse(raw: RawData): ClientPayload | undefined {
	try {
		const text = Array.isArray(raw)
			? Buffer.concat(raw).toString()
			: raw instanceof ArrayBuffer
				? Buffer.from(raw).toString()
				: raw.toString();
		const value: unknown = JSON.parse(text);
		return typeof value === 'object' && value !== null ? value : undefined;
	} catch {
		return undefined;
	}
}

function field(data: unknown, key: string): unknown {
	return typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[key] : undefined;
}

/** Without MESSAGE_CONTENT, content is stripped unless the bot wrote the message or is mentioned in it. */
function forSession(state: FakeState, session: Session, event: string, data: unknown): unknown {
	if ((session.intents & GatewayIntentBits.MessageContent) !== 0) return data;
	if (event !== 'MESSAGE_CREATE' && event !== 'MESSAGE_UPDATE') return data;
	const authorId = field(field(data, 'author'), 'id');
	const mentions = field(data, 'mentions');
	const mentionsBot = Array.isArray(mentions) && mentions.some((user) => field(user, 'id') === state.bot.id);
	if (authorId === state.bot.id || mentionsBot) return data;
	return { ...(data as object), content: '', embeds: [], attachments: [], components: [] };
}

function wants(session: Session, event: string): boolean {
	if (event === 'READY' || event === 'RESUMED' || event === 'INTERACTION_CREATE') return true;
	if (MESSAGE_EVENTS.has(event)) return (session.intents & GatewayIntentBits.GuildMessages) !== 0;
	return (session.intents & GatewayIntentBits.Guilds) !== 0;
}

export function createGateway(state: FakeState, options: { heartbeatIntervalMs: number; url: () => string }): Gateway {
	const server = new WebSocketServer({ noServer: true });
	const sessions = new Map<string, Session>();
	let rejectingIdentify = false;

	const send = (socket: WebSocket, payload: GatewayPayload): void => {
		if (socket.readyState !== WebSocket.OPEN) return;
		state.gatewayLog.push({ direction: 'out', payload, at: Date.now() });
		socket.send(JSON.stringify(payload));
		notifyChange(state);
	};

	const sendDispatch = (session: Session, event: string, data: unknown): void => {
		if (!wants(session, event)) return;
		session.seq += 1;
		const payload: GatewayPayload = { op: 0, t: event, s: session.seq, d: forSession(state, session, event, data) };
		session.backlog.push(payload);
		if (session.backlog.length > BACKLOG_LIMIT) session.backlog.shift();
		if (session.socket) send(session.socket, payload);
	};

	const identify = (socket: WebSocket, data: unknown): Session | undefined => {
		if (rejectingIdentify || field(data, 'token') !== state.token) {
			socket.close(4004, 'Authentication failed.');
			return undefined;
		}
		const intents = field(data, 'intents');
		const session: Session = {
			id: randomBytes(16).toString('hex'),
			seq: 0,
			intents: typeof intents === 'number' ? intents : 0,
			socket,
			backlog: [],
		};
		sessions.set(session.id, session);
		sendDispatch(session, 'READY', readyPayload(state, session.id, options.url()));
		sendDispatch(session, 'GUILD_CREATE', guildCreatePayload(state));
		return session;
	};

	const resume = (socket: WebSocket, data: unknown): Session | undefined => {
		const session = sessions.get(String(field(data, 'session_id')));
		const seq = field(data, 'seq');
		if (!session || field(data, 'token') !== state.token) {
			send(socket, { op: 9, d: false, s: null, t: null });
			return undefined;
		}
		session.socket = socket;
		for (const payload of session.backlog) {
			if (typeof seq !== 'number' || (payload.s ?? 0) > seq) send(socket, payload);
		}
		sendDispatch(session, 'RESUMED', null);
		return session;
	};

	const onConnection = (socket: WebSocket): void => {
		let session: Session | undefined;
		send(socket, { op: 10, d: { heartbeat_interval: options.heartbeatIntervalMs }, s: null, t: null });
		socket.on('message', (raw) => {
			const payload = parse(raw);
			state.gatewayLog.push({ direction: 'in', payload, at: Date.now() });
			notifyChange(state);
			if (!payload) return;
			if (payload.op === 1) send(socket, { op: 11, d: null, s: null, t: null });
			else if (payload.op === 2 && !session) session = identify(socket, payload.d);
			else if (payload.op === 6 && !session) session = resume(socket, payload.d);
			else if (payload.op === 8 && session) {
				const members = [...state.users.values()].map((user) => memberPayload(state, user));
				const nonce = field(payload.d, 'nonce');
				sendDispatch(session, 'GUILD_MEMBERS_CHUNK', {
					guild_id: state.guild.id,
					members,
					chunk_index: 0,
					chunk_count: 1,
					not_found: [],
					...(typeof nonce === 'string' ? { nonce } : {}),
				});
			}
		});
		socket.on('close', (code) => {
			if (session?.socket === socket) session.socket = undefined;
			// Like Discord, a normal closure (1000/1001) ends the session; anything else keeps it resumable.
			if (session && (code === 1000 || code === 1001)) sessions.delete(session.id);
		});
		socket.on('error', () => undefined);
	};

	return {
		handleUpgrade(request, socket, head) {
			server.handleUpgrade(request, socket, head, onConnection);
		},
		dispatch(event, data) {
			for (const session of sessions.values()) sendDispatch(session, event, data);
		},
		dropConnections() {
			for (const socket of server.clients) socket.terminate();
		},
		rejectIdentify(reject) {
			rejectingIdentify = reject;
		},
		close() {
			for (const socket of server.clients) socket.terminate();
			sessions.clear();
			server.close();
		},
	};
}
