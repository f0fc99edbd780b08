import type { ChatInputCommandInteraction } from 'discord.js';
import { NO_MENTIONS } from '../client/create-discord-client.js';
import { followUpLikeReply } from './follow-up-like-reply.js';
import type { EditableMessage, ReplyTarget } from '../../reply/reply-target.js';

/**
 * A reply streamed into an already deferred interaction: the first message is the interaction's own reply,
 * the rest are follow-ups with the same visibility.
 */
export function createInteractionReplyTarget(interaction: ChatInputCommandInteraction): ReplyTarget {
	let first = true;
	return {
		// Interaction webhooks have their own rate limits, not the channel's.
		channelId: undefined,
		async send(state) {
			if (first) {
				first = false;
				await interaction.editReply({ content: state.content, allowedMentions: NO_MENTIONS });
				return editable(interaction, '@original');
			}
			const message = await followUpLikeReply(interaction, { content: state.content });
			return editable(interaction, message.id);
		},
		// The deferred reply already shows "thinking…".
		sendTyping: () => Promise.resolve(),
	};
}

function editable(interaction: ChatInputCommandInteraction, messageId: string): EditableMessage {
	return {
		id: messageId,
		async edit(state) {
			await interaction.editReply({ message: messageId, content: state.content, allowedMentions: NO_MENTIONS });
		},
		async delete() {
			await interaction.deleteReply(messageId);
		},
	};
}
