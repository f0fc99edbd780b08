import type { Message } from 'discord.js';
import { ChannelType, cleanContent, ThreadAutoArchiveDuration } from 'discord.js';
import type { Turn } from '../chat/respond.js';
import type { Logger } from '../logger.js';
import type { SessionStore } from '../store/session-store.js';
import { createChannelReplyTarget } from './channel-reply-target.js';
import { conversationContext } from './conversation-context.js';
import { NO_MENTIONS } from './create-discord-client.js';
import { isMissingPermission } from './is-missing-permission.js';
import { threadName } from './thread-name.js';

export type MessageHandlerDeps = {
	readonly store: SessionStore;
	readonly respond: (turn: Turn) => Promise<unknown>;
	readonly logger: Logger;
};

const EMPTY_MESSAGE_REPLY = 'I can only read text for now: write your question in the message.';
const GENERIC_FAILURE_REPLY = 'Sorry, something went wrong on my side. Please try again.';
const NO_THREAD_PERMISSION_REPLY =
	'I could not start a thread here: I need the Create Public Threads and Send Messages in Threads permissions in this channel.';

/**
 * A mention in a text channel starts a bot thread; every message in a bot thread continues it; in other
 * threads (members' threads, forum posts) only mentions are answered. Never rejects.
 */
export function createMessageHandler(deps: MessageHandlerDeps): (message: Message) => Promise<void> {
	async function handle(message: Message<true>): Promise<void> {
		const botId = message.client.user.id;
		const mentioned = message.mentions.users.has(botId);
		const { channel } = message;
		if (channel.isThread()) {
			const session = deps.store.getSession(channel.id);
			const owned = session?.owned ?? channel.ownerId === botId;
			if (!owned && !mentioned) return;
			const text = readText(message, botId);
			if (text === '') {
				await replyShort(message, EMPTY_MESSAGE_REPLY);
				return;
			}
			deps.store.ensureSession({
				threadId: channel.id,
				guildId: message.guildId,
				parentChannelId: channel.parentId ?? channel.id,
				creatorId: channel.ownerId,
				owned,
			});
			const userTurn = deps.store.appendUserTurn(userTurnOf(message, channel.id, text));
			if (!userTurn) return;
			const target = createChannelReplyTarget(channel, {
				stopButtonFor: channel.id,
				...(owned ? {} : { replyTo: message.id }),
			});
			await deps.respond({
				botId,
				userTurn,
				openTarget: () => Promise.resolve(target),
				context: conversationContext(message.guild, channel.parent?.name ?? channel.name, channel.name),
			});
			return;
		}
		if (!mentioned || (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement))
			return;
		const text = readText(message, botId);
		if (text === '') {
			await replyShort(message, EMPTY_MESSAGE_REPLY);
			return;
		}
		// A thread started from a message takes that message's id. Storing the turn and queueing the reply
		// under that id now, before the thread exists, keeps it ahead of follow-ups posted in the new thread.
		if (deps.store.hasDiscordMessage(message.id)) return;
		deps.store.ensureSession({
			threadId: message.id,
			guildId: message.guildId,
			parentChannelId: channel.id,
			creatorId: message.author.id,
			owned: true,
		});
		const userTurn = deps.store.appendUserTurn(userTurnOf(message, message.id, text));
		if (!userTurn) return;
		const name = threadName(text, displayName(message));
		await deps.respond({
			botId,
			userTurn,
			context: conversationContext(message.guild, channel.name, name),
			openTarget: async () => {
				const thread = await message.startThread({ name, autoArchiveDuration: ThreadAutoArchiveDuration.OneDay });
				return createChannelReplyTarget(thread, { stopButtonFor: thread.id });
			},
		});
	}

	return async (message) => {
		if (message.author.bot || message.system || !message.inGuild()) return;
		try {
			await handle(message);
		} catch (error) {
			deps.logger.error({ err: error, messageId: message.id, channelId: message.channelId }, 'message handling failed');
			await replyShort(message, isMissingPermission(error) ? NO_THREAD_PERMISSION_REPLY : GENERIC_FAILURE_REPLY).catch(
				(replyError: unknown) => {
					deps.logger.warn({ err: replyError }, 'could not report the failure');
				},
			);
		}
	};
}

function readText(message: Message<true>, botId: string): string {
	const withoutBot = message.content.replaceAll(new RegExp(`<@!?${botId}>`, 'g'), '');
	return cleanContent(withoutBot, message.channel).trim();
}

function displayName(message: Message<true>): string {
	return message.member?.displayName ?? message.author.displayName;
}

function userTurnOf(message: Message<true>, threadId: string, content: string) {
	return {
		threadId,
		authorId: message.author.id,
		authorName: displayName(message),
		content,
		discordMessageId: message.id,
	};
}

async function replyShort(message: Message, content: string): Promise<void> {
	await message.reply({ content, allowedMentions: NO_MENTIONS });
}
