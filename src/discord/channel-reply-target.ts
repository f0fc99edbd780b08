import type { Message, SendableChannels } from 'discord.js';
import { NO_MENTIONS } from './create-discord-client.js';
import type { EditableMessage, ReplyTarget } from './stream-reply.js';

/** A reply posted as ordinary messages in a channel or thread; the first one may reference the question. */
export function createChannelReplyTarget(channel: SendableChannels, options: { replyTo?: string } = {}): ReplyTarget {
	let first = true;
	return {
		async send(state) {
			const reference =
				first && options.replyTo ? { messageReference: options.replyTo, failIfNotExists: false } : undefined;
			first = false;
			const message = await channel.send({
				content: state.content,
				allowedMentions: NO_MENTIONS,
				...(reference ? { reply: reference } : {}),
			});
			return editable(message);
		},
		async sendTyping() {
			await channel.sendTyping();
		},
	};
}

function editable(message: Message): EditableMessage {
	return {
		id: message.id,
		async edit(state) {
			await message.edit({ content: state.content, allowedMentions: NO_MENTIONS });
		},
	};
}
