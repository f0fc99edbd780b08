import type { GuildBasedChannel } from 'discord.js';

/** "the thread <#id>" or "<#id>", as a command's answer names where it applies. */
export function describePlace(channel: GuildBasedChannel): string {
	return channel.isThread() ? `the thread <#${channel.id}>` : `<#${channel.id}>`;
}
