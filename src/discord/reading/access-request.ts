import type { GuildMember, GuildTextBasedChannel } from 'discord.js';
import type { AccessRequest } from '../../access/access-gate.js';
import { MODERATOR_PERMISSION } from '../client/moderator-permission.js';

/** What the access gate needs to know of a member asking in `channel` (a thread reads its parent's settings too). */
export function accessRequest(
	member: GuildMember | null,
	userId: string,
	channel: GuildTextBasedChannel,
	starting: boolean,
): AccessRequest {
	const thread = channel.isThread() ? channel : undefined;
	return {
		guildId: channel.guildId,
		channelId: thread?.parentId ?? channel.id,
		threadId: thread?.id,
		userId,
		moderator: member?.permissionsIn(channel).has(MODERATOR_PERMISSION) ?? false,
		roleIds: member ? [...member.roles.cache.keys()] : [],
		starting,
	};
}
