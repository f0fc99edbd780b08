import { InteractionContextType } from 'discord.js';
import type { Command } from './command.js';
import { requireThreadOwner } from './guards.js';

export const resetCommand = {
	data: {
		name: 'reset',
		description: 'Start this thread over: earlier messages stay, but I stop using them as context',
		contexts: [InteractionContextType.Guild],
	},
	// Everyone in the thread should know the bot forgot the conversation so far.
	ephemeral: () => false,
	async execute(interaction, deps) {
		const { thread } = await requireThreadOwner(interaction, deps.sessions, 'reset it');
		const excluded = await deps.sessions.resetContext(thread.id);
		await deps.summaries.drop(thread.id);
		await interaction.editReply(
			excluded === 0
				? 'There is nothing to forget yet.'
				: `Context cleared by ${interaction.member.displayName}: the next messages start a fresh conversation. (The ${excluded} earlier messages stay stored.)`,
		);
	},
} satisfies Command;
