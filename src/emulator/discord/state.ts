// Over 250 lines on purpose: the emulator's whole state (guilds, members, roles, channels, messages, interactions)
// and the few functions that create and look it up; its behaviour lives in the route and action files around it.
import { EventEmitter } from 'node:events';
import { rolePayload } from './payloads.js';
import { BOT_PERMISSIONS, EVERYONE_PERMISSIONS } from './permissions.js';
import {
	compareSnowflakes,
	createSnowflakeGenerator,
	snowflakeTimestamp,
	type SnowflakeGenerator,
} from './snowflake.js';
import type { StoredAttachment } from './attachment-types.js';
import type {
	FakeChannel,
	FakeInteraction,
	FakeUser,
	GatewayLogEntry,
	RecordedRequest,
	StoredMessage,
} from './types.js';

export type FakeRole = { id: string; name: string; permissions: bigint; position: number };
export type FakeMember = { userId: string; roleIds: string[]; joinedAt: string };
/** An attachment the fake CDN serves at `path` (`/attachments/<channel>/<id>/<filename>`, percent-encoded). */
export type CdnFile = { attachment: StoredAttachment; path: string; ephemeral: boolean };

/** A guild the bot is in: its own roles (the first is @everyone, whose id is the guild id) and members. */
export type FakeGuildState = {
	readonly id: string;
	readonly name: string;
	readonly ownerId: string;
	readonly members: Map<string, FakeMember>;
	readonly roles: FakeRole[];
};

/** Discord's sharding knobs: what `GET /gateway/bot` answers and what the gateway enforces on IDENTIFY. */
export type ShardingSettings = {
	/** `shards` of `GET /gateway/bot` (raised to `requiredShards` when that is higher). */
	recommendedShards: number;
	maxConcurrency: number;
	sessionStartTotal: number;
	/** Lowered by every accepted IDENTIFY, never below 0. */
	sessionStartRemaining: number;
	sessionStartResetAfterMs: number;
	/** IDENTIFYs of one bucket (`shard_id % max_concurrency`) closer than this get op 9; 0 turns it off. */
	identifySpacingMs: number;
	/** An IDENTIFY with fewer shards is closed with 4011. */
	requiredShards: number | undefined;
};

export type FakeState = {
	readonly ids: SnowflakeGenerator;
	readonly token: string;
	readonly bot: FakeUser;
	/** Owns every guild. */
	readonly owner: FakeUser;
	/** The first guild, created at start. */
	readonly guild: FakeGuildState;
	/** Every guild the bot is in, in order of creation. */
	readonly guilds: Map<string, FakeGuildState>;
	readonly users: Map<string, FakeUser>;
	readonly channels: Map<string, FakeChannel>;
	/** The guild of every channel ever created, deleted ones included, by channel id. */
	readonly channelGuilds: Map<string, string>;
	/** Every message (including ephemeral ones that are not listed in a channel), by id. */
	readonly messages: Map<string, StoredMessage>;
	readonly interactions: Map<string, FakeInteraction>;
	/** Every attachment ever created, by attachment id. */
	readonly cdnFiles: Map<string, CdnFile>;
	readonly commands: { global: unknown[]; guild: Map<string, unknown[]>; putCount: number };
	readonly requests: RecordedRequest[];
	readonly unexpectedRequests: RecordedRequest[];
	readonly gatewayLog: GatewayLogEntry[];
	readonly changes: EventEmitter;
	readonly interactionDeadlineMs: number;
	/** Keep about this many of the newest requests and gateway payloads; undefined keeps them all (tests read them). */
	readonly keepRecords: number | undefined;
	readonly sharding: ShardingSettings;
	httpBase: string;
	/** Replaced by the gateway once it exists; guild events go to the sessions of the guild's shard. */
	dispatch: (event: string, data: unknown) => void;
};

export function createFakeState(options: {
	token: string;
	interactionDeadlineMs: number;
	sharding: ShardingSettings;
	guildShard?: { shard: number; of: number } | undefined;
	guildName?: string | undefined;
	foundedAt?: number | undefined;
	keepRecords?: number | undefined;
}): FakeState {
	const ids = createSnowflakeGenerator(1, { startAt: options.foundedAt });
	const makeUser = (username: string, globalName: string | null, bot: boolean): FakeUser => ({
		id: ids.next(),
		username,
		globalName,
		bot,
	});
	const bot = makeUser('gemthread', 'Gemthread', true);
	const owner = makeUser('owner', 'Guild Owner', false);
	const guildId = options.guildShard ? ids.onShard(options.guildShard.shard, options.guildShard.of) : ids.next();
	const guild = newGuild(guildId, options.guildName ?? 'Fake Guild', owner.id);
	const state: FakeState = {
		ids,
		token: options.token,
		bot,
		owner,
		guild,
		guilds: new Map([[guild.id, guild]]),
		users: new Map(),
		channels: new Map(),
		channelGuilds: new Map(),
		messages: new Map(),
		interactions: new Map(),
		cdnFiles: new Map(),
		commands: { global: [], guild: new Map(), putCount: 0 },
		requests: [],
		unexpectedRequests: [],
		gatewayLog: [],
		changes: new EventEmitter(),
		interactionDeadlineMs: options.interactionDeadlineMs,
		keepRecords: options.keepRecords,
		sharding: options.sharding,
		httpBase: '',
		dispatch: () => undefined,
	};
	state.changes.setMaxListeners(0);
	addMember(state, guild, bot, BOT_PERMISSIONS);
	addMember(state, guild, owner, undefined);
	return state;
}

function newGuild(id: string, name: string, ownerId: string): FakeGuildState {
	return {
		id,
		name,
		ownerId,
		members: new Map(),
		roles: [{ id, name: '@everyone', permissions: EVERYONE_PERMISSIONS, position: 0 }],
	};
}

/**
 * A further guild with the bot (with its usual role) and the owner as members; nothing is dispatched, so that the
 * caller can fill it before announcing it with GUILD_CREATE.
 */
export function createGuild(state: FakeState, fields: { id: string; name: string }): FakeGuildState {
	if (state.guilds.has(fields.id)) throw new Error(`fake-discord: guild ${fields.id} exists already`);
	const guild = newGuild(fields.id, fields.name, state.owner.id);
	state.guilds.set(guild.id, guild);
	addMember(state, guild, state.bot, BOT_PERMISSIONS, { announce: false });
	addMember(state, guild, state.owner, undefined, { announce: false });
	return guild;
}

/**
 * Makes a known user a member of `guild` (again: a member keeps their roles); a permissions value gets a role of its
 * own, dispatched as GUILD_ROLE_CREATE unless `announce` is false.
 */
export function addMember(
	state: FakeState,
	guild: FakeGuildState,
	user: FakeUser,
	permissions: bigint | undefined,
	options: { announce?: boolean } = {},
): void {
	state.users.set(user.id, user);
	const member = guild.members.get(user.id) ?? { userId: user.id, roleIds: [], joinedAt: new Date().toISOString() };
	if (permissions !== undefined) {
		const role: FakeRole = { id: state.ids.next(), name: `${user.username}-role`, permissions, position: 1 };
		guild.roles.push(role);
		member.roleIds.push(role.id);
		if (options.announce !== false) {
			state.dispatch('GUILD_ROLE_CREATE', { guild_id: guild.id, role: rolePayload(role) });
		}
	}
	guild.members.set(user.id, member);
}

/** The guild a channel (or a deleted one) belongs to; unknown channels count as the first guild's. */
export function guildOfChannel(state: FakeState, channelId: string): FakeGuildState {
	const guildId = state.channelGuilds.get(channelId);
	return (guildId === undefined ? undefined : state.guilds.get(guildId)) ?? state.guild;
}

/** A channel of `guildId`; a thread must name the guild of its parent. */
export function createChannel(
	state: FakeState,
	fields: { id?: string; guildId: string; type: number; name: string; parentId?: string; ownerId?: string },
): FakeChannel {
	if (!state.guilds.has(fields.guildId)) throw new Error(`fake-discord: unknown guild ${fields.guildId}`);
	const channel: FakeChannel = {
		id: fields.id ?? state.ids.next(),
		guildId: fields.guildId,
		type: fields.type,
		name: fields.name,
		parentId: fields.parentId,
		ownerId: fields.ownerId,
		messages: [],
		archived: false,
		locked: false,
		permissionOverwrites: [],
	};
	state.channels.set(channel.id, channel);
	state.channelGuilds.set(channel.id, channel.guildId);
	return channel;
}

export function isThread(channel: FakeChannel): boolean {
	return channel.type === 10 || channel.type === 11 || channel.type === 12;
}

/** Stores a message in its channel (kept sorted by id) unless it is ephemeral, and in the global index. */
export function storeMessage(state: FakeState, message: StoredMessage): StoredMessage {
	state.messages.set(message.id, message);
	if ((message.flags & 64) !== 0) return message;
	const list = state.channels.get(message.channelId)?.messages;
	if (!list) return message;
	let index = list.length;
	while (index > 0 && compareSnowflakes(list[index - 1]?.id ?? '0', message.id) > 0) index -= 1;
	list.splice(index, 0, message);
	return message;
}

export function newMessage(
	state: FakeState,
	fields: Partial<StoredMessage> & { channelId: string; author: FakeUser; at?: number },
): StoredMessage {
	const { at, ...rest } = fields;
	const id = fields.id ?? state.ids.next(at);
	const content = fields.content ?? '';
	return {
		id,
		content,
		versions: [content],
		allowedMentions: [undefined],
		components: [],
		embeds: [],
		attachments: [],
		messageReference: undefined,
		type: 0,
		flags: 0,
		createdAt: snowflakeTimestamp(id),
		editedAt: undefined,
		deleted: false,
		...rest,
	};
}

export function notifyChange(state: FakeState): void {
	state.changes.emit('change');
}
