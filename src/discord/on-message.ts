import type { AnyThreadChannel, Message } from 'discord.js';
import { ChannelType, ThreadAutoArchiveDuration } from 'discord.js';
import type { AccessGate } from '../access/access-gate.js';
import type { CapTicket, MemberCap } from '../access/member-cap.js';
import { queueFullText } from '../access/member-cap.js';
import type { Responder } from '../chat/respond.js';
import type { Logger } from '../logger.js';
import type { SessionStore } from '../store/session-store.js';
import type { AttachFilesDeps } from './attach-files.js';
import { attachFiles, messageFiles } from './attach-files.js';
import { createChannelReplyTarget } from './channel-reply-target.js';
import type { RedrawDeps } from './redraw-reply.js';
import { pictureRepliedTo, redrawReply } from './redraw-reply.js';
import { conversationContext } from './conversation-context.js';
import { NO_MENTIONS } from './create-discord-client.js';
import { accessRequest } from './access-request.js';
import { isMissingPermission } from './is-missing-permission.js';
import type { PermissionNotices } from './permission-notices.js';
import type { WriteBudget } from './write-budget.js';
import { displayName, readText } from './read-text.js';
import { threadName } from './thread-name.js';
import { threadTurn } from './thread-turn.js';

export type MessageHandlerDeps = {
	readonly store: SessionStore;
	readonly responder: Responder;
	/** /settings enabled and role, and the daily token budgets. */
	readonly access: AccessGate;
	/** Calls one member may have waiting for an answer (GEMINI_USER_QUEUE_MAX), counted across every path. */
	readonly cap: MemberCap;
	readonly notices: PermissionNotices;
	/** Thread creation counts against Discord's global limit like the reply's own writes. */
	readonly budget: WriteBudget;
	/** Where members' files are downloaded from and stored. */
	readonly files: AttachFilesDeps;
	/** For replies to pictures the bot drew. */
	readonly redraw: RedrawDeps;
	readonly logger: Logger;
};

const EMPTY_MESSAGE_REPLY = 'Write your question in the message (or attach the files you want me to look at).';
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
			if (text === '' && message.attachments.size === 0) {
				await replyShort(message, EMPTY_MESSAGE_REPLY);
				return;
			}
			// A mention in a members' thread starts a conversation there; a bot thread continues one.
			const access = deps.access.check(accessRequest(message.member, message.author.id, channel, !owned));
			if (!access.allowed && !owned) {
				if (access.tell) await replyShort(message, access.text);
				return;
			}
			deps.store.ensureSession({
				threadId: channel.id,
				guildId: message.guildId,
				parentChannelId: channel.parentId ?? channel.id,
				creatorId: channel.ownerId,
				owned,
			});
			// Stored even when it is not answered now: it stays in the context of the next answer.
			const userTurn = deps.store.appendUserTurn(userTurnOf(message, channel.id, text));
			if (!userTurn) return;
			if (!access.allowed) {
				deps.logger.info({ userId: message.author.id, threadId: channel.id, reason: access.reason }, 'not answered');
				if (access.tell) await replyShort(message, access.text);
				return;
			}
			// A reply to a picture the bot drew asks the image model to change it.
			const picture = pictureRepliedTo(deps.redraw, message);
			// Checked and counted with no await in between: a burst of messages arrives in one tick.
			const ticket = enter(message);
			if (!ticket) await replyShort(message, queueFullText(deps.cap.max));
			else if (picture) {
				await deps.responder
					.exclusive(channel.id, async () => {
						await attachFiles(deps.files, messageFiles(message), userTurn.id);
						await redrawReply(deps.redraw, message, userTurn, picture, ticket);
					})
					.finally(ticket.leave);
			} else {
				const turn = threadTurn(channel, userTurn, { owned, notices: deps.notices });
				await deps.responder.respond({ ...turn, attachFiles: filesOf(message, userTurn.id), ticket });
			}
			return;
		}
		if (!mentioned || (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement))
			return;
		const text = readText(message, botId);
		if (text === '' && message.attachments.size === 0) {
			await replyShort(message, EMPTY_MESSAGE_REPLY);
			return;
		}
		// A thread started from a message takes that message's id. Storing the turn and queueing the reply
		// under that id now, before the thread exists, keeps it ahead of follow-ups posted in the new thread.
		if (deps.store.hasDiscordMessage(message.id)) return;
		const access = deps.access.check(accessRequest(message.member, message.author.id, channel, true));
		if (!access.allowed) {
			deps.logger.info({ userId: message.author.id, channelId: channel.id, reason: access.reason }, 'not answered');
			if (access.tell) await replyShort(message, access.text);
			return;
		}
		const ticket = enter(message);
		if (!ticket) {
			await replyShort(message, queueFullText(deps.cap.max));
			return;
		}
		const name = threadName(text || (message.attachments.first()?.name ?? ''), displayName(message));
		deps.store.ensureSession({
			threadId: message.id,
			guildId: message.guildId,
			parentChannelId: channel.id,
			creatorId: message.author.id,
			owned: true,
			botThreadName: name,
		});
		const userTurn = deps.store.appendUserTurn(userTurnOf(message, message.id, text));
		if (!userTurn) {
			ticket.leave();
			return;
		}
		let thread: AnyThreadChannel | undefined;
		await deps.responder.respond({
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
			attachFiles: filesOf(message, userTurn.id),
			ticket,
		});
	}

	function filesOf(message: Message<true>, turnId: number) {
		return (signal: AbortSignal) => attachFiles(deps.files, messageFiles(message), turnId, signal);
	}

	function enter(message: Message<true>): CapTicket | undefined {
		const ticket = deps.cap.enter(message.author.id);
		if (!ticket) deps.logger.info({ userId: message.author.id, waiting: deps.cap.max }, 'member queue full');
		return ticket;
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

function userTurnOf(message: Message<true>, threadId: string, content: string) {
	return {
		threadId,
		authorId: message.author.id,
		authorName: displayName(message),
		content,
		discordMessageId: message.id,
		createdAt: message.createdTimestamp,
	};
}

async function replyShort(message: Message, content: string): Promise<void> {
	await message.reply({ content, allowedMentions: NO_MENTIONS });
}
