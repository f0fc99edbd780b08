import type { Message } from 'discord.js';
import type { CapTicket, MemberCap } from '../../access/member-cap.js';
import type { Logger } from '../../log/logger.js';
import { NO_MENTIONS } from '../client/create-discord-client.js';

/**
 * What a message set going once it was taken in (stored, its answer queued): the answer, or a short line. Wrapped so
 * that the intake, which runs under its channel's lock, can hand it out without waiting for it.
 */
export type Work = { readonly done: Promise<unknown> };

export function replyShort(message: Message, content: string): Work {
	return { done: message.reply({ content, allowedMentions: NO_MENTIONS }) };
}

/** A place under USER_QUEUE_MAX for the message's author, or undefined (logged) when they have no room. */
export async function enterCap(
	deps: { readonly cap: MemberCap; readonly logger: Logger },
	message: Message,
): Promise<CapTicket | undefined> {
	const ticket = await deps.cap.enter(message.author.id);
	if (!ticket) deps.logger.info({ userId: message.author.id, waiting: deps.cap.max }, 'member queue full');
	return ticket;
}

export function userTurnOf(message: Message<true>, threadId: string, content: string, authorName: string) {
	return {
		threadId,
		authorId: message.author.id,
		authorName,
		content,
		discordMessageId: message.id,
		createdAt: message.createdTimestamp,
	};
}
