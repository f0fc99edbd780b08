import type { Message, SendableChannels } from 'discord.js';
import { NO_MENTIONS } from '../client/create-discord-client.js';
import { editOrDeleted, writeOrGone } from './gone-reason.js';
import type { EditableMessage, MessageState, ReplyTarget } from '../../reply/reply-target.js';
import { stopButtonRow } from './stop-button.js';

export type ChannelReplyOptions = {
	/** The first message replies to this message (used in threads the bot does not own). */
	readonly replyTo?: string;
	/** Show a Stop button for this thread under the message being written. */
	readonly stopButtonFor?: string;
};

/** A reply posted as ordinary messages in a channel or thread. */
export function createChannelReplyTarget(channel: SendableChannels, options: ChannelReplyOptions = {}): ReplyTarget {
	const render = (state: MessageState) => ({
		content: state.content,
		allowedMentions: NO_MENTIONS,
		components: state.live && options.stopButtonFor ? [stopButtonRow(options.stopButtonFor)] : [],
	});
	let first = true;
	return {
		channelId: channel.id,
		async send(state) {
			const reference =
				first && options.replyTo ? { messageReference: options.replyTo, failIfNotExists: false } : undefined;
			const message = await writeOrGone<Message>(() =>
				channel.send({ ...render(state), ...(reference ? { reply: reference } : {}) }),
			);
			first = false;
			return editable(message, render);
		},
		async sendTyping() {
			await writeOrGone(() => channel.sendTyping());
		},
	};
}

function editable(message: Message, render: (state: MessageState) => object): EditableMessage {
	return {
		id: message.id,
		async edit(state) {
			await editOrDeleted(() => message.edit(render(state)));
		},
		async delete() {
			await writeOrGone(() => message.delete());
		},
	};
}
