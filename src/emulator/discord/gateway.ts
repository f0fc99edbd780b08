// Over 250 lines on purpose: one gateway session's life (HELLO, IDENTIFY with shards, heartbeats, RESUME with its
// buffered events, closes) is one state machine; the payloads it sends are built elsewhere (payloads.ts).
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { GatewayIntentBits } from 'discord-api-types/v10';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { guildCreatePayload, readyPayload } from './guild-payload.js';
import { memberPayload } from './payloads.js';
import { guildIdOfEvent, identifyRefusal, INVALID_SHARD, parseShard, type Shard } from './shards.js';
import { shardOf } from './snowflake.js';
import { keepRecord } from './keep-record.js';
import { notifyChange, type FakeState } from './state.js';
import type { FakeGatewayConnection, GatewayLogEntry } from './types.js';

type GatewayPayload = { op: number; d: unknown; s: number | null; t: string | null };
/** One socket; its session is set by IDENTIFY or RESUME. */
type Connection = { number: number; socket: WebSocket; session: Session | undefined };
type Session = {
	id: string;
	seq: number;
	intents: number;
	shard: Shard;
	connection: Connection | undefined;
	backlog: GatewayPayload[];
};
type ClientPayload = { op?: unknown; d?: unknown };

const BACKLOG_LIMIT = 1_000;
const MESSAGE_EVENTS = new Set(['MESSAGE_CREATE', 'MESSAGE_UPDATE', 'MESSAGE_DELETE']);

export type Gateway = {
	handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
	/** Routes like Discord: a guild's events to the sessions of its shard, the rest to shard 0 (or to `shard`). */
	dispatch(event: string, data: unknown, shard?: number): void;
	/** Drops every socket abruptly (close code 1006); sessions stay resumable. */
	dropConnections(): void;
	/** Drops the sockets of the sessions of one shard (1006); returns how many. */
	dropShard(shardId: number): number;
	/** While on, IDENTIFY is closed with 4004 whatever the token. */
	rejectIdentify(reject: boolean): void;
	connections(): FakeGatewayConnection[];
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

/** Whether a session's shard receives an event of this guild (none: a DM and the like, which go to shard 0). */
function onShard(session: Session, guildId: string | undefined): boolean {
	const [id, count] = session.shard;
	return guildId === undefined ? id === 0 : shardOf(guildId, count) === id;
}

export function createGateway(state: FakeState, options: { heartbeatIntervalMs: number; url: () => string }): Gateway {
	const server = new WebSocketServer({ noServer: true });
	const sessions = new Map<string, Session>();
	const open = new Set<Connection>();
	/** When each identify bucket (`shard_id % max_concurrency`) last accepted an IDENTIFY. */
	const lastIdentify = new Map<number, number>();
	let connectionCount = 0;
	let rejectingIdentify = false;

	const send = (connection: Connection, payload: GatewayPayload): void => {
		if (connection.socket.readyState !== WebSocket.OPEN) return;
		log(connection, 'out', payload);
		connection.socket.send(JSON.stringify(payload));
		notifyChange(state);
	};

	const log = (connection: Connection, direction: 'in' | 'out', payload: unknown): GatewayLogEntry => {
		const shard = connection.session?.shard;
		const entry: GatewayLogEntry = {
			direction,
			payload,
			at: Date.now(),
			connection: connection.number,
			shard: shard?.[0],
			shardCount: shard?.[1],
		};
		keepRecord(state, state.gatewayLog, entry);
		return entry;
	};

	const sendDispatch = (session: Session, event: string, data: unknown): void => {
		if (!wants(session, event)) return;
		session.seq += 1;
		const payload: GatewayPayload = { op: 0, t: event, s: session.seq, d: forSession(state, session, event, data) };
		session.backlog.push(payload);
		if (session.backlog.length > BACKLOG_LIMIT) session.backlog.shift();
		if (session.connection) send(session.connection, payload);
	};

	/** Spacing per bucket, only when asked for: Discord answers a too early IDENTIFY with op 9. */
	const tooSoon = (shard: Shard): boolean => {
		const { identifySpacingMs, maxConcurrency } = state.sharding;
		if (identifySpacingMs <= 0) return false;
		const bucket = shard[0] % Math.max(1, maxConcurrency);
		const last = lastIdentify.get(bucket);
		const now = Date.now();
		if (last !== undefined && now - last < identifySpacingMs) return true;
		lastIdentify.set(bucket, now);
		return false;
	};

	const identify = (connection: Connection, data: unknown): void => {
		const { socket } = connection;
		if (rejectingIdentify || field(data, 'token') !== state.token) {
			socket.close(4004, 'Authentication failed.');
			return;
		}
		const shard = parseShard(field(data, 'shard'));
		if (!shard) {
			socket.close(INVALID_SHARD.code, INVALID_SHARD.reason);
			return;
		}
		const liveCounts = [...sessions.values()].flatMap((session) => (session.connection ? [session.shard[1]] : []));
		const refusal = identifyRefusal(shard, liveCounts, state.sharding.requiredShards);
		if (refusal) {
			socket.close(refusal.code, refusal.reason);
			return;
		}
		if (tooSoon(shard)) {
			send(connection, { op: 9, d: false, s: null, t: null });
			return;
		}
		state.sharding.sessionStartRemaining = Math.max(0, state.sharding.sessionStartRemaining - 1);
		const intents = field(data, 'intents');
		const session: Session = {
			id: randomBytes(16).toString('hex'),
			seq: 0,
			intents: typeof intents === 'number' ? intents : 0,
			shard,
			connection,
			backlog: [],
		};
		sessions.set(session.id, session);
		connection.session = session;
		const guilds = [...state.guilds.values()].filter((guild) => onShard(session, guild.id));
		sendDispatch(session, 'READY', readyPayload(state, { id: session.id, resumeUrl: options.url(), shard, guilds }));
		for (const guild of guilds) sendDispatch(session, 'GUILD_CREATE', guildCreatePayload(state, guild));
	};

	const resume = (connection: Connection, data: unknown): void => {
		const session = sessions.get(String(field(data, 'session_id')));
		const seq = field(data, 'seq');
		if (!session || field(data, 'token') !== state.token) {
			send(connection, { op: 9, d: false, s: null, t: null });
			return;
		}
		session.connection = connection;
		connection.session = session;
		for (const payload of session.backlog) {
			if (typeof seq !== 'number' || (payload.s ?? 0) > seq) send(connection, payload);
		}
		sendDispatch(session, 'RESUMED', null);
	};

	/** op 8: one chunk with every member of each requested guild of the session's shard. */
	const requestMembers = (session: Session, data: unknown): void => {
		const requested = field(data, 'guild_id');
		const nonce = field(data, 'nonce');
		for (const guildId of Array.isArray(requested) ? requested : [requested]) {
			const guild = typeof guildId === 'string' ? state.guilds.get(guildId) : undefined;
			if (!guild || !onShard(session, guild.id)) continue;
			const members = [...guild.members.keys()].flatMap((userId) => {
				const user = state.users.get(userId);
				return user ? [memberPayload(guild, user)] : [];
			});
			sendDispatch(session, 'GUILD_MEMBERS_CHUNK', {
				guild_id: guild.id,
				members,
				chunk_index: 0,
				chunk_count: 1,
				not_found: [],
				...(typeof nonce === 'string' ? { nonce } : {}),
			});
		}
	};

	const onConnection = (socket: WebSocket): void => {
		connectionCount += 1;
		const connection: Connection = { number: connectionCount, socket, session: undefined };
		open.add(connection);
		send(connection, { op: 10, d: { heartbeat_interval: options.heartbeatIntervalMs }, s: null, t: null });
		socket.on('message', (raw) => {
			const payload = parse(raw);
			const entry = log(connection, 'in', payload);
			if (payload) {
				const { session } = connection;
				if (payload.op === 1) send(connection, { op: 11, d: null, s: null, t: null });
				else if (payload.op === 2 && !session) identify(connection, payload.d);
				else if (payload.op === 6 && !session) resume(connection, payload.d);
				else if (payload.op === 8 && session) requestMembers(session, payload.d);
			}
			// The IDENTIFY or RESUME that started a session counts as that session's.
			entry.shard = connection.session?.shard[0];
			entry.shardCount = connection.session?.shard[1];
			notifyChange(state);
		});
		socket.on('close', (code) => {
			open.delete(connection);
			const { session } = connection;
			if (session?.connection === connection) session.connection = undefined;
			// Like Discord, a normal closure (1000/1001) ends the session; anything else keeps it resumable.
			if (session && (code === 1000 || code === 1001)) sessions.delete(session.id);
			notifyChange(state);
		});
		socket.on('error', () => undefined);
	};

	return {
		handleUpgrade(request, socket, head) {
			server.handleUpgrade(request, socket, head, onConnection);
		},
		dispatch(event, data, shard) {
			const guildId = guildIdOfEvent(event, data);
			for (const session of sessions.values()) {
				const receives = shard === undefined ? onShard(session, guildId) : session.shard[0] === shard;
				if (receives) sendDispatch(session, event, data);
			}
		},
		dropConnections() {
			for (const socket of server.clients) socket.terminate();
		},
		dropShard(shardId) {
			const dropped = [...open].filter((connection) => connection.session?.shard[0] === shardId);
			for (const connection of dropped) connection.socket.terminate();
			return dropped.length;
		},
		rejectIdentify(reject) {
			rejectingIdentify = reject;
		},
		connections() {
			return [...open].map((connection) => ({
				connection: connection.number,
				sessionId: connection.session?.id,
				shard: connection.session ? [...connection.session.shard] : undefined,
			}));
		},
		close() {
			for (const socket of server.clients) socket.terminate();
			sessions.clear();
			server.close();
		},
	};
}
