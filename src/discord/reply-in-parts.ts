import type { ChatInputCommandInteraction } from 'discord.js';
import { MessageFlags } from 'discord.js';
import { NO_MENTIONS } from './create-discord-client.js';
import { splitMessage } from './split-message.js';

/** Answers a deferred command with text of any length: the reply, then follow-ups of the same visibility. */
export async function replyInParts(interaction: ChatInputCommandInteraction, text: string): Promise<void> {
	const [first = '…', ...rest] = splitMessage(text);
	await interaction.editReply({ content: first, allowedMentions: NO_MENTIONS });
	const ephemeral = interaction.ephemeral === true;
	for (const part of rest) {
		await interaction.followUp({
			content: part,
			allowedMentions: NO_MENTIONS,
			...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
		});
	}
}
