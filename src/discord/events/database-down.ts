import type { Message } from 'discord.js';

export const DATABASE_DOWN =
	"I can't reach my database right now, so I can't do this yet. Please try again in a few minutes.";
const DOWN_IN_MY_THREAD =
	"⚠️ I can't reach my database right now, so I can't answer yet. I'll answer here once it's back.";
const DOWN_ELSEWHERE = "⚠️ I can't reach my database right now, so I can't answer. Please ask again in a few minutes.";

/**
 * What a member is told when their message could not be stored. In a thread the bot started, the catch-up that runs
 * once the database is back reads it from Discord and answers it; a mention elsewhere (no conversation stored yet)
 * has to be asked again.
 */
export function databaseDownReply(message: Message): string {
	const { channel } = message;
	return channel.isThread() && channel.ownerId === message.client.user.id ? DOWN_IN_MY_THREAD : DOWN_ELSEWHERE;
}
