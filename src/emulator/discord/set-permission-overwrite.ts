import { channelPayload } from './payloads.js';
import { guildOfChannel, isThread, type FakeState } from './state.js';
import type { PermissionOverwriteInput } from './types.js';

/** Adds, replaces (same id) or, when it allows and denies nothing, removes an overwrite; then CHANNEL_UPDATE. */
export function setPermissionOverwrite(state: FakeState, channelId: string, input: PermissionOverwriteInput): void {
	const channel = state.channels.get(channelId);
	if (!channel) throw new Error(`fake-discord: unknown channel ${channelId}`);
	if (isThread(channel)) {
		const parent = String(channel.parentId);
		throw new Error(
			`fake-discord: ${channelId} is a thread, which uses its parent's overwrites; set them on ${parent}`,
		);
	}
	const guild = guildOfChannel(state, channel.id);
	const known = input.type === 0 ? guild.roles.some((role) => role.id === input.id) : guild.members.has(input.id);
	if (!known) {
		throw new Error(`fake-discord: no ${input.type === 0 ? 'role' : 'member'} ${input.id} in guild ${guild.id}`);
	}
	const overwrite = { id: input.id, type: input.type, allow: input.allow ?? 0n, deny: input.deny ?? 0n };
	const index = channel.permissionOverwrites.findIndex((entry) => entry.id === input.id);
	if (overwrite.allow === 0n && overwrite.deny === 0n) {
		if (index !== -1) channel.permissionOverwrites.splice(index, 1);
	} else if (index === -1) channel.permissionOverwrites.push(overwrite);
	else channel.permissionOverwrites[index] = overwrite;
	state.dispatch('CHANNEL_UPDATE', channelPayload(state, channel));
}
