import type { Guild } from 'discord.js';
import type { Turn } from '../../chat/respond.js';

/** Where a conversation takes place, as the model is told. */
export function conversationContext(guild: Guild, channelName: string, threadName: string): Turn['context'] {
	return {
		botName: guild.members.me?.displayName ?? guild.client.user.username,
		guildName: guild.name,
		channelName,
		threadName,
	};
}
