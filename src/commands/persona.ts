import type { GuildBasedChannel } from 'discord.js';
import { ApplicationCommandOptionType, InteractionContextType } from 'discord.js';
import { DEFAULT_PERSONA } from '../chat/build-prompt.js';
import { describePlace } from '../discord/client/describe-place.js';
import { replyInParts } from '../discord/targets/reply-in-parts.js';
import type { Persona } from '../store/ports/persona-store.js';
import { quote } from '../discord/client/quote.js';
import { UserFacingError } from '../domain/user-facing-error.js';
import type { Command } from './command.js';
import { MODERATOR_PERMISSION } from '../discord/client/moderator-permission.js';
import { requireModeratedChannel } from './guards.js';

export const PERSONA_MAX_LENGTH = 4_000;

export const personaCommand = {
	data: {
		name: 'persona',
		description: "Set, show or clear this channel's (or thread's) system prompt for the AI",
		contexts: [InteractionContextType.Guild],
		default_member_permissions: MODERATOR_PERMISSION.toString(),
		options: [
			{
				type: ApplicationCommandOptionType.Subcommand,
				name: 'set',
				description: 'Set the persona: in a channel for all its threads, in a thread for that thread only',
				options: [
					{
						type: ApplicationCommandOptionType.String,
						name: 'prompt',
						description: `The system prompt (up to ${PERSONA_MAX_LENGTH} characters)`,
						required: true,
						// Discord's own maximum; the real cap is checked below, so that a member gets an explanation.
						max_length: 6_000,
					},
				],
			},
			{ type: ApplicationCommandOptionType.Subcommand, name: 'show', description: 'Show the persona in effect here' },
			{
				type: ApplicationCommandOptionType.Subcommand,
				name: 'clear',
				description: "Remove this channel's (or thread's) persona",
			},
		],
	},
	async execute(interaction, deps) {
		const channel = requireModeratedChannel(interaction);
		const subcommand = interaction.options.getSubcommand(true);
		const place = describePlace(channel);
		if (subcommand === 'set') {
			const prompt = interaction.options.getString('prompt', true).trim();
			if (prompt.length > PERSONA_MAX_LENGTH) {
				throw new UserFacingError(
					`That persona is ${prompt.length} characters long; the limit is ${PERSONA_MAX_LENGTH}. Please shorten it.`,
				);
			}
			if (prompt === '') throw new UserFacingError('The persona cannot be empty; use `/persona clear` to remove it.');
			await deps.personas.set({
				scopeId: channel.id,
				guildId: interaction.guildId,
				prompt,
				setBy: interaction.user.id,
			});
			const scope = channel.isThread() ? 'this thread only' : 'every thread in this channel, existing and new';
			await replyInParts(interaction, `Persona set for ${place}; it applies to ${scope}:\n${quote(prompt)}`);
		} else if (subcommand === 'clear') {
			const cleared = await deps.personas.clear(channel.id);
			await replyInParts(
				interaction,
				cleared ? `Persona cleared for ${place}.` : `${place} has no persona of its own.`,
			);
		} else {
			await replyInParts(
				interaction,
				showPersona(channel, await deps.personas.effective(channel.id, channel.parentId ?? channel.id)),
			);
		}
	},
} satisfies Command;

function showPersona(channel: GuildBasedChannel, persona: Persona | undefined): string {
	if (!persona) return `No persona is set for ${describePlace(channel)}; I use my default:\n${quote(DEFAULT_PERSONA)}`;
	const inherited = persona.scopeId !== channel.id ? ` (inherited from <#${persona.scopeId}>)` : '';
	const when = `<t:${Math.floor(persona.setAt / 1_000)}:R>`;
	return `Persona for ${describePlace(channel)}${inherited}, set by <@${persona.setBy}> ${when}:\n${quote(persona.prompt)}`;
}
