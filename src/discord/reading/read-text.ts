import type { Message } from 'discord.js';
import { cleanContent } from 'discord.js';

/** A member's message as a turn stores it: the bot's own mention removed, other mentions made readable. */
export function readText(message: Message<true>, botId: string): string {
	const withoutBot = message.content.replaceAll(new RegExp(`<@!?${botId}>`, 'g'), '');
	return cleanContent(withoutBot, message.channel).trim();
}

export function displayName(message: Message<true>): string {
	return message.member?.displayName ?? message.author.displayName;
}
