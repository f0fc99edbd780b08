import { InteractionContextType, MessageFlags } from 'discord.js';
import { NO_MENTIONS } from '../discord/client/create-discord-client.js';
import { STOP_BUTTON_PREFIX } from '../discord/targets/stop-button.js';
import { ModelError } from '../llm/model-error.js';
import type { ButtonHandler, Command, CommandDeps } from './command.js';
import { canControlThread, notAllowedToControl, requireControllableThread } from './guards.js';

const NOT_ALLOWED = notAllowedToControl('stop its replies');

function stopReply(deps: CommandDeps, threadId: string, stoppedBy: string): boolean {
	return deps.activeReplies.stop(threadId, new ModelError('stopped', `Stopped by ${stoppedBy}.`));
}

export const stopCommand = {
	data: {
		name: 'stop',
		description: 'Stop the reply being written in this thread',
		contexts: [InteractionContextType.Guild],
	},
	async execute(interaction, deps) {
		const thread = await requireControllableThread(interaction, deps.sessions, 'stop its replies');
		const stopped = stopReply(deps, thread.id, interaction.member.displayName);
		await interaction.editReply(stopped ? 'Stopped the reply.' : 'Nothing is being written in this thread right now.');
	},
} satisfies Command;

export const stopButton = {
	prefix: STOP_BUTTON_PREFIX,
	async execute(interaction, deps) {
		const threadId = interaction.customId.slice(STOP_BUTTON_PREFIX.length);
		const refuse = (content: string) =>
			interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
		if (!(await canControlThread(deps.sessions, threadId, interaction.user.id, interaction.memberPermissions))) {
			await refuse(NOT_ALLOWED);
			return;
		}
		// Acknowledge first: the reply's final edit removes the button, which would make a later ack fail.
		await interaction.deferUpdate();
		if (!stopReply(deps, threadId, interaction.member.displayName)) {
			await interaction.followUp({
				content: 'This reply has already finished.',
				flags: MessageFlags.Ephemeral,
				allowedMentions: NO_MENTIONS,
			});
		}
	},
} satisfies ButtonHandler;
