import type { AnyThreadChannel, Message } from 'discord.js';
import { queueFullText } from '../../access/member-cap.js';
import { accessRequest } from '../reading/access-request.js';
import { attachFiles, messageFiles } from '../reading/attach-files.js';
import type { Work } from './message-intake.js';
import { enterCap, replyShort, userTurnOf } from './message-intake.js';
import type { MessageHandlerDeps } from './on-message.js';
import { displayName, readText } from '../reading/read-text.js';
import { pictureRepliedTo, redrawReply } from './redraw-reply.js';
import { threadTurn } from './thread-turn.js';

export const EMPTY_MESSAGE_REPLY = 'Write your question in the message (or attach the files you want me to look at).';

/**
 * A message in a thread: every one in a bot thread continues its conversation (stored even when it is not answered
 * now: it stays in the context of the next answer); in other threads (members' threads, forum posts) only mentions.
 */
export async function threadMessage(
	deps: MessageHandlerDeps,
	message: Message<true>,
	channel: AnyThreadChannel,
): Promise<Work | undefined> {
	const botId = message.client.user.id;
	const mentioned = message.mentions.users.has(botId);
	const session = await deps.store.getSession(channel.id);
	const owned = session?.owned ?? channel.ownerId === botId;
	if (!owned && !mentioned) return undefined;
	const text = readText(message, botId);
	if (text === '' && message.attachments.size === 0) return replyShort(message, EMPTY_MESSAGE_REPLY);
	// A mention in a members' thread starts a conversation there; a bot thread continues one.
	const access = await deps.access.check(accessRequest(message.member, message.author.id, channel, !owned));
	if (!access.allowed && !owned) return access.tell ? replyShort(message, access.text) : undefined;
	await deps.store.ensureSession({
		threadId: channel.id,
		guildId: message.guildId,
		parentChannelId: channel.parentId ?? channel.id,
		creatorId: channel.ownerId,
		owned,
	});
	const userTurn = await deps.store.appendUserTurn(userTurnOf(message, channel.id, text, displayName(message)));
	if (!userTurn) return undefined;
	if (!access.allowed) {
		deps.logger.info({ userId: message.author.id, threadId: channel.id, reason: access.reason }, 'not answered');
		return access.tell ? replyShort(message, access.text) : undefined;
	}
	// A reply to a picture the bot drew asks the image model to change it.
	const picture = await pictureRepliedTo(deps.redraw, message);
	const ticket = await enterCap(deps, message);
	if (!ticket) return replyShort(message, queueFullText(deps.cap.max));
	if (picture) {
		const redrawing = deps.responder.exclusive(channel.id, async () => {
			await attachFiles(deps.files, messageFiles(message), userTurn.id);
			await redrawReply(deps.redraw, message, userTurn, picture, ticket);
		});
		return { done: redrawing.finally(ticket.leave) };
	}
	const turn = threadTurn(channel, userTurn, { owned, notices: deps.notices });
	const attach = (signal: AbortSignal) => attachFiles(deps.files, messageFiles(message), userTurn.id, signal);
	return { done: deps.responder.respond({ ...turn, attachFiles: attach, ticket }) };
}
