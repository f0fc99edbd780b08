import type { ChatInputCommandInteraction } from 'discord.js';
import { createInteractionReplyTarget } from './interaction-reply-target.js';
import { splitMessage } from '../../reply/split-message.js';

/** Answers a deferred command with text of any length: the reply, then follow-ups of the same visibility. */
export async function replyInParts(interaction: ChatInputCommandInteraction, text: string): Promise<void> {
	const target = createInteractionReplyTarget(interaction);
	const parts = splitMessage(text);
	for (const part of parts.length > 0 ? parts : ['…']) await target.send({ content: part, live: false });
}
