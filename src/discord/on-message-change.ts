import type { Message, PartialMessage } from 'discord.js';
import type { QuestionChangeDeps } from '../chat/question-changes.js';
import { reviseQuestion, withdrawQuestion } from '../chat/question-changes.js';
import type { Logger } from '../logger.js';
import { readText } from './read-text.js';

/** Members' edits and deletions of messages the bot stored: an unanswered question follows them. */
export function createMessageChangeHandlers(deps: QuestionChangeDeps & { readonly logger: Logger }) {
	return {
		onUpdate(message: Message | PartialMessage): void {
			if (message.partial || !message.inGuild() || message.author.bot) return;
			if (reviseQuestion(deps, message.id, readText(message, message.client.user.id))) {
				deps.logger.info({ messageId: message.id, channelId: message.channelId }, 'question edited');
			}
		},
		onDelete(message: Message | PartialMessage): void {
			const result = withdrawQuestion(deps, message.id);
			if (result !== 'kept') {
				deps.logger.info({ messageId: message.id, channelId: message.channelId, result }, 'question deleted');
			}
		},
	};
}
