import { PermissionFlagsBits } from 'discord-api-types/v10';
import type { FakeGuildState } from './state.js';

export const EVERYONE_PERMISSIONS =
	PermissionFlagsBits.CreateInstantInvite |
	PermissionFlagsBits.AddReactions |
	PermissionFlagsBits.ViewChannel |
	PermissionFlagsBits.SendMessages |
	PermissionFlagsBits.EmbedLinks |
	PermissionFlagsBits.AttachFiles |
	PermissionFlagsBits.ReadMessageHistory |
	PermissionFlagsBits.UseExternalEmojis |
	PermissionFlagsBits.Connect |
	PermissionFlagsBits.Speak |
	PermissionFlagsBits.ChangeNickname |
	PermissionFlagsBits.UseApplicationCommands |
	PermissionFlagsBits.CreatePublicThreads |
	PermissionFlagsBits.CreatePrivateThreads |
	PermissionFlagsBits.SendMessagesInThreads;

export const BOT_PERMISSIONS =
	EVERYONE_PERMISSIONS |
	PermissionFlagsBits.ManageMessages |
	PermissionFlagsBits.ManageThreads |
	PermissionFlagsBits.MentionEveryone;

export const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((all, flag) => all | flag, 0n);

/** A member's guild-wide permissions: @everyone and their roles (the owner and administrators have all). */
export function permissionsOf(guild: FakeGuildState, userId: string): bigint {
	if (userId === guild.ownerId) return ALL_PERMISSIONS;
	const roleIds = new Set([guild.id, ...(guild.members.get(userId)?.roleIds ?? [])]);
	const permissions = guild.roles
		.filter((role) => roleIds.has(role.id))
		.reduce((all, role) => all | role.permissions, 0n);
	return (permissions & PermissionFlagsBits.Administrator) !== 0n ? ALL_PERMISSIONS : permissions;
}
