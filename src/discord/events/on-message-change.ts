import type { Message, PartialMessage } from 'discord.js';
import type { MessageChangeDeps } from '../../chat/message-changes.js';
import { removeMessage, reviseMessage } from '../../chat/message-changes.js';
import type { Logger } from '../../log/logger.js';
import { readText } from '../reading/read-text.js';

/** Members' edits and deletions of messages the bot stored (and moderators' deletions of its replies). Never reject. */
export function createMessageChangeHandlers(deps: MessageChangeDeps & { readonly logger: Logger }) {
	const failed = (message: Message | PartialMessage, error: unknown): void => {
		deps.logger.error({ err: error, messageId: message.id, channelId: message.channelId }, 'message change failed');
	};
	return {
		async onUpdate(message: Message | PartialMessage): Promise<void> {
			if (message.partial || !message.inGuild() || message.author.bot) return;
			try {
				if (await reviseMessage(deps, message.id, readText(message, message.client.user.id))) {
					deps.logger.info({ messageId: message.id, channelId: message.channelId }, 'message edited');
				}
			} catch (error) {
				failed(message, error);
			}
		},
		async onDelete(message: Message | PartialMessage): Promise<void> {
			try {
				const result = await removeMessage(deps, message.id, message.channelId);
				if (result !== 'not-stored') {
					deps.logger.info({ messageId: message.id, channelId: message.channelId, result }, 'message deleted');
				}
			} catch (error) {
				failed(message, error);
			}
		},
	};
}
