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

export type FakeState = {
	readonly ids: SnowflakeGenerator;
	readonly token: string;
	readonly bot: FakeUser;
	readonly owner: FakeUser;
	readonly guild: { id: string; name: string };
	readonly users: Map<string, FakeUser>;
	readonly members: Map<string, FakeMember>;
	readonly roles: FakeRole[];
	readonly channels: Map<string, FakeChannel>;
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
	httpBase: string;
	/** Replaced by the gateway once it exists. */
	dispatch: (event: string, data: unknown) => void;
};

export function createFakeState(options: { token: string; interactionDeadlineMs: number }): FakeState {
	const ids = createSnowflakeGenerator();
	const makeUser = (username: string, globalName: string | null, bot: boolean): FakeUser => ({
		id: ids.next(),
		username,
		globalName,
		bot,
	});
	const bot = makeUser('gemthread', 'Gemthread', true);
	const owner = makeUser('owner', 'Guild Owner', false);
	const guild = { id: ids.next(), name: 'Fake Guild' };
	const state: FakeState = {
		ids,
		token: options.token,
		bot,
		owner,
		guild,
		users: new Map(),
		members: new Map(),
		roles: [{ id: guild.id, name: '@everyone', permissions: EVERYONE_PERMISSIONS, position: 0 }],
		channels: new Map(),
		messages: new Map(),
		interactions: new Map(),
		cdnFiles: new Map(),
		commands: { global: [], guild: new Map(), putCount: 0 },
		requests: [],
		unexpectedRequests: [],
		gatewayLog: [],
		changes: new EventEmitter(),
		interactionDeadlineMs: options.interactionDeadlineMs,
		httpBase: '',
		dispatch: () => undefined,
	};
	state.changes.setMaxListeners(0);
	registerUser(state, bot, BOT_PERMISSIONS);
	registerUser(state, owner, undefined);
	return state;
}

/** Adds a user as a guild member; a permissions value gets its own role (dispatched as GUILD_ROLE_CREATE). */
export function registerUser(state: FakeState, user: FakeUser, permissions: bigint | undefined): void {
	state.users.set(user.id, user);
	const roleIds: string[] = [];
	if (permissions !== undefined) {
		const role: FakeRole = { id: state.ids.next(), name: `${user.username}-role`, permissions, position: 1 };
		state.roles.push(role);
		roleIds.push(role.id);
		state.dispatch('GUILD_ROLE_CREATE', { guild_id: state.guild.id, role: rolePayload(role) });
	}
	state.members.set(user.id, { userId: user.id, roleIds, joinedAt: new Date().toISOString() });
}

export function createChannel(
	state: FakeState,
	fields: { id?: string; type: number; name: string; parentId?: string; ownerId?: string },
): FakeChannel {
	const channel: FakeChannel = {
		id: fields.id ?? state.ids.next(),
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
