import type { AnyThreadChannel, Message, NewsChannel, TextChannel } from 'discord.js';
import { ThreadAutoArchiveDuration } from 'discord.js';
import { queueFullText } from '../../access/member-cap.js';
import { accessRequest } from '../reading/access-request.js';
import { attachFiles, messageFiles } from '../reading/attach-files.js';
import { createChannelReplyTarget } from '../targets/channel-reply-target.js';
import { conversationContext } from '../reading/conversation-context.js';
import type { Work } from './message-intake.js';
import { enterCap, replyShort, userTurnOf } from './message-intake.js';
import type { MessageHandlerDeps } from './on-message.js';
import { displayName, readText } from '../reading/read-text.js';
import { EMPTY_MESSAGE_REPLY } from './thread-message.js';
import { threadName } from '../client/thread-name.js';

/**
 * A mention in a text channel starts a bot thread from the message. A thread started from a message takes that
 * message's id: storing the turn and queueing the reply under that id now, before the thread exists, keeps it ahead of
 * follow-ups posted in the new thread.
 */
export async function mentionMessage(
	deps: MessageHandlerDeps,
	message: Message<true>,
	channel: TextChannel | NewsChannel,
): Promise<Work | undefined> {
	const botId = message.client.user.id;
	const text = readText(message, botId);
	if (text === '' && message.attachments.size === 0) return replyShort(message, EMPTY_MESSAGE_REPLY);
	if (await deps.store.hasDiscordMessage(message.id)) return undefined;
	const access = await deps.access.check(accessRequest(message.member, message.author.id, channel, true));
	if (!access.allowed) {
		deps.logger.info({ userId: message.author.id, channelId: channel.id, reason: access.reason }, 'not answered');
		return access.tell ? replyShort(message, access.text) : undefined;
	}
	const ticket = await enterCap(deps, message);
	if (!ticket) return replyShort(message, queueFullText(deps.cap.max));
	const name = threadName(text || (message.attachments.first()?.name ?? ''), displayName(message));
	try {
		await deps.store.ensureSession({
			threadId: message.id,
			guildId: message.guildId,
			parentChannelId: channel.id,
			creatorId: message.author.id,
			owned: true,
			botThreadName: name,
		});
		const userTurn = await deps.store.appendUserTurn(userTurnOf(message, message.id, text, displayName(message)));
		if (!userTurn) {
			ticket.leave();
			return undefined;
		}
		let thread: AnyThreadChannel | undefined;
		const answer = deps.responder.respond({
			botId,
			userTurn,
			context: conversationContext(message.guild, channel.name, name),
			openTarget: async () => {
				const done = await deps.budget.acquire(undefined, 'urgent');
				try {
					thread = await message.startThread({ name, autoArchiveDuration: ThreadAutoArchiveDuration.OneDay });
				} finally {
					done();
				}
				return createChannelReplyTarget(thread, { stopButtonFor: thread.id });
			},
			onGone: (reason) => {
				if (reason === 'forbidden' && thread) deps.notices.notify(thread);
			},
			attachFiles: (signal) => attachFiles(deps.files, messageFiles(message), userTurn.id, signal),
			ticket,
		});
		return { done: answer };
	} catch (error) {
		ticket.leave();
		throw error;
	}
}
