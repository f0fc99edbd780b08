import { PermissionFlagsBits } from 'discord-api-types/v10';
import { guildCreatePayload } from './guild-payload.js';
import { EVERYONE_PERMISSIONS } from './permissions.js';
import { shardOf } from './snowflake.js';
import { addMember, createChannel, createGuild, type FakeGuildState, type FakeState } from './state.js';
import type { AddGuildOptions, FakeChannel, FakeGuildHandle, StandardUsers } from './types.js';
import { addGuildChannel, addGuildUser } from './user-actions.js';

export const MODERATOR_PERMISSIONS = PermissionFlagsBits.ManageChannels | EVERYONE_PERMISSIONS;

export type GuildHandles = {
	readonly all: FakeGuildHandle[];
	/** Wraps a guild that exists already (the first one). */
	adopt(guild: FakeGuildState, textChannel: FakeChannel): FakeGuildHandle;
	add(options: AddGuildOptions): FakeGuildHandle;
	byGuildId(guildId: string): FakeGuildHandle | undefined;
};

function handleFor(
	state: FakeState,
	guild: FakeGuildState,
	textChannel: FakeChannel,
	users: StandardUsers,
): FakeGuildHandle {
	return {
		id: guild.id,
		guild: { id: guild.id, name: guild.name },
		textChannel,
		users,
		shardOf: (shardCount) => shardOf(guild.id, shardCount),
		addTextChannel: (name) => addGuildChannel(state, guild, name, 0),
		addForumChannel: (name) => addGuildChannel(state, guild, name, 15),
		addUser: (user) => addGuildUser(state, guild, user),
		addMember: (user, options) => {
			addMember(state, guild, user, options?.permissions);
		},
		isMember: (userId) => guild.members.has(userId),
		get channels() {
			return [...state.channels.values()].filter((channel) => channel.guildId === guild.id);
		},
	};
}

/** The handles of every guild; a new guild is filled first, then announced to its shard with GUILD_CREATE. */
export function createGuildHandles(state: FakeState, users: StandardUsers): GuildHandles {
	const all: FakeGuildHandle[] = [];
	return {
		all,
		adopt(guild, textChannel) {
			const handle = handleFor(state, guild, textChannel, users);
			all.push(handle);
			return handle;
		},
		add(options) {
			const id = options.shard === undefined ? state.ids.next() : state.ids.onShard(options.shard, options.of);
			const guild = createGuild(state, { id, name: options.name ?? `Fake Guild ${state.guilds.size + 1}` });
			if (options.standardUsers !== false) {
				addMember(state, guild, users.alice, undefined, { announce: false });
				addMember(state, guild, users.bob, undefined, { announce: false });
				addMember(state, guild, users.moderator, MODERATOR_PERMISSIONS, { announce: false });
				addMember(state, guild, users.otherBot, undefined, { announce: false });
			}
			const textChannel = createChannel(state, { guildId: guild.id, type: 0, name: options.channelName ?? 'general' });
			const handle = handleFor(state, guild, textChannel, users);
			all.push(handle);
			state.dispatch('GUILD_CREATE', guildCreatePayload(state, guild));
			return handle;
		},
		byGuildId: (guildId) => all.find((handle) => handle.id === guildId),
	};
}
