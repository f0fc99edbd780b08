import { PermissionFlagsBits } from 'discord-api-types/v10';
import { permissionsOf } from './permissions.js';
import { guildOfChannel, isThread, type FakeState } from './state.js';
import type { FakeChannel, PermissionOverwrite } from './types.js';

const NO_OVERWRITE = { allow: 0n, deny: 0n };

/** Threads have no overwrites of their own: Discord computes a thread's permissions from its parent channel. */
function overwriteSource(state: FakeState, channelId: string): FakeChannel {
	const channel = state.channels.get(channelId);
	if (!channel) throw new Error(`fake-discord: unknown channel ${channelId}`);
	if (!isThread(channel)) return channel;
	const parent = channel.parentId === undefined ? undefined : state.channels.get(channel.parentId);
	if (!parent) throw new Error(`fake-discord: thread ${channelId} has no parent channel`);
	return parent;
}

function apply(permissions: bigint, overwrite: Pick<PermissionOverwrite, 'allow' | 'deny'>): bigint {
	return (permissions & ~overwrite.deny) | overwrite.allow;
}

/** A member's total permissions in a channel (a thread: its parent), following Discord's overwrite order. */
export function permissionsIn(state: FakeState, userId: string, channelId: string): bigint {
	const { id: sourceId, permissionOverwrites } = overwriteSource(state, channelId);
	const guild = guildOfChannel(state, sourceId);
	const base = permissionsOf(guild, userId);
	// permissionsOf already gives the owner and administrators everything, which no overwrite can take away.
	if ((base & PermissionFlagsBits.Administrator) !== 0n) return base;
	const roleIds = new Set(guild.members.get(userId)?.roleIds ?? []);
	const everyone = permissionOverwrites.find((entry) => entry.type === 0 && entry.id === guild.id);
	const roles = permissionOverwrites
		.filter((entry) => entry.type === 0 && roleIds.has(entry.id))
		.reduce((all, entry) => ({ allow: all.allow | entry.allow, deny: all.deny | entry.deny }), NO_OVERWRITE);
	const member = permissionOverwrites.find((entry) => entry.type === 1 && entry.id === userId);
	const permissions = apply(apply(apply(base, everyone ?? NO_OVERWRITE), roles), member ?? NO_OVERWRITE);
	// Without VIEW_CHANNEL nothing else in the channel is usable (an implicit rule discord.js's permissionsIn skips).
	return (permissions & PermissionFlagsBits.ViewChannel) === 0n ? 0n : permissions;
}
