import { InteractionContextType } from 'discord.js';
import { UserFacingError } from '../user-facing-error.js';
import type { Command } from './command.js';
import { canControlThread, requireSessionThread } from './guards.js';

export const resetCommand = {
	data: {
		name: 'reset',
		description: 'Start this thread over: earlier messages stay, but I stop using them as context',
		contexts: [InteractionContextType.Guild],
	},
	// Everyone in the thread should know the bot forgot the conversation so far.
	ephemeral: () => false,
	async execute(interaction, deps) {
		const { thread } = requireSessionThread(interaction, deps.sessions);
		if (!canControlThread(deps.sessions, thread.id, interaction.user.id, interaction.memberPermissions)) {
			throw new UserFacingError('Only people taking part in this thread (or who can manage threads) can reset it.');
		}
		const excluded = deps.sessions.resetContext(thread.id);
		await interaction.editReply(
			excluded === 0
				? 'There is nothing to forget yet.'
				: `Context cleared by ${interaction.member.displayName}: the next messages start a fresh conversation. (The ${excluded} earlier messages stay stored.)`,
		);
	},
} satisfies Command;
