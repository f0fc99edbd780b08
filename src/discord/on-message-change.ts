import type { Message, PartialMessage } from 'discord.js';
import type { MessageChangeDeps } from '../chat/message-changes.js';
import { removeMessage, reviseMessage } from '../chat/message-changes.js';
import type { Logger } from '../logger.js';
import { readText } from './read-text.js';

/** Members' edits and deletions of messages the bot stored (and moderators' deletions of its replies). */
export function createMessageChangeHandlers(deps: MessageChangeDeps & { readonly logger: Logger }) {
	return {
		onUpdate(message: Message | PartialMessage): void {
			if (message.partial || !message.inGuild() || message.author.bot) return;
			if (reviseMessage(deps, message.id, readText(message, message.client.user.id))) {
				deps.logger.info({ messageId: message.id, channelId: message.channelId }, 'message edited');
			}
		},
		onDelete(message: Message | PartialMessage): void {
			const result = removeMessage(deps, message.id, message.channelId);
			if (result !== 'not-stored') {
				deps.logger.info({ messageId: message.id, channelId: message.channelId, result }, 'message deleted');
			}
		},
	};
}
