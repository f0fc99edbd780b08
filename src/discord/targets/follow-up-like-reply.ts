import type { ChatInputCommandInteraction, InteractionReplyOptions, Message } from 'discord.js';
import { MessageFlags } from 'discord.js';
import { NO_MENTIONS } from '../client/create-discord-client.js';

/** A follow-up to a deferred command, visible to the same people as its reply, pinging nobody. */
export function followUpLikeReply(
	interaction: ChatInputCommandInteraction,
	options: Omit<InteractionReplyOptions, 'flags' | 'allowedMentions'>,
): Promise<Message> {
	return interaction.followUp({
		...options,
		allowedMentions: NO_MENTIONS,
		...(interaction.ephemeral === true ? { flags: MessageFlags.Ephemeral } : {}),
	});
}
