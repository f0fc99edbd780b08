import type { Interaction, RepliableInteraction } from 'discord.js';
import { MessageFlags } from 'discord.js';
import type { ButtonHandler, Command, CommandDeps } from '../../commands/command.js';
import { isStoreUnavailable } from '../../store/ports/store-unavailable.js';
import { UserFacingError } from '../../domain/user-facing-error.js';
import { DATABASE_DOWN } from './database-down.js';
import { NO_MENTIONS } from '../client/create-discord-client.js';

const GENERIC_FAILURE = 'Sorry, something went wrong while running this command. Please try again.';
const UNKNOWN_COMMAND = 'I do not know this command (it may have just been removed). Please try again in a minute.';
const GUILD_ONLY = 'My commands only work inside a server.';

/**
 * The one entry point for interactions: commands are deferred at once (so Discord's 3-second deadline is
 * always met) and every failure ends in a short, visible answer to the member, never silence.
 */
export function createInteractionHandler(
	deps: CommandDeps,
	commands: readonly Command[],
	buttons: readonly ButtonHandler[],
): (interaction: Interaction) => Promise<void> {
	const commandsByName = new Map(commands.map((command) => [command.data.name, command]));

	return async (interaction) => {
		if (!interaction.isRepliable()) return;
		try {
			if (!interaction.inCachedGuild()) throw new UserFacingError(GUILD_ONLY);
			if (interaction.isChatInputCommand()) {
				const command = commandsByName.get(interaction.commandName);
				const ephemeral = command?.ephemeral?.(interaction) ?? true;
				await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
				if (!command) throw new UserFacingError(UNKNOWN_COMMAND);
				await command.execute(interaction, deps);
			} else if (interaction.isButton()) {
				const handler = buttons.find((button) => interaction.customId.startsWith(button.prefix));
				if (!handler) throw new UserFacingError('This button no longer does anything.');
				await handler.execute(interaction, deps);
			}
		} catch (error) {
			const userFacing = error instanceof UserFacingError;
			const unavailable = isStoreUnavailable(error);
			const context = { err: error, interactionId: interaction.id, userId: interaction.user.id };
			if (userFacing) deps.logger.debug(context, 'interaction refused');
			else if (unavailable) deps.logger.warn(context, 'interaction failed: the database is unavailable');
			else deps.logger.error(context, 'interaction failed');
			const text = userFacing ? error.message : unavailable ? DATABASE_DOWN : GENERIC_FAILURE;
			await answerError(interaction, text).catch((replyError: unknown) => {
				deps.logger.warn({ err: replyError, interactionId: interaction.id }, 'could not report the failure');
			});
		}
	};
}

async function answerError(interaction: RepliableInteraction, content: string): Promise<void> {
	const message = `⚠️ ${content}`;
	if (interaction.isChatInputCommand() && interaction.deferred && !interaction.replied) {
		await interaction.editReply({ content: message, allowedMentions: NO_MENTIONS, components: [] });
	} else if (interaction.replied || interaction.deferred) {
		await interaction.followUp({ content: message, allowedMentions: NO_MENTIONS, flags: MessageFlags.Ephemeral });
	} else {
		await interaction.reply({ content: message, allowedMentions: NO_MENTIONS, flags: MessageFlags.Ephemeral });
	}
}
