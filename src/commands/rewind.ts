import { ApplicationCommandOptionType, InteractionContextType } from 'discord.js';
import type { Command } from './command.js';
import { countOf } from './count-of.js';
import { requireThreadOwner } from './guards.js';

export const rewindCommand = {
	data: {
		name: 'rewind',
		description: 'Make me forget the last exchanges of this thread',
		contexts: [InteractionContextType.Guild],
		options: [
			{
				type: ApplicationCommandOptionType.Integer,
				name: 'turns',
				description: 'How many question-and-answer exchanges to forget (default 1)',
				min_value: 1,
				max_value: 100,
			},
		],
	},
	ephemeral: () => false,
	async execute(interaction, deps) {
		const { thread } = await requireThreadOwner(interaction, deps.sessions, 'rewind it');
		const requested = interaction.options.getInteger('turns') ?? 1;
		const removed = await deps.sessions.rewind(thread.id, requested);
		// A summary standing for a rewound turn would bring it back: the next long reply makes a new one.
		await deps.summaries.dropIfExcluded(thread.id);
		await interaction.editReply(
			removed === 0
				? 'There is nothing to rewind.'
				: `${interaction.member.displayName} rewound ${countOf(removed, 'exchange')}: I no longer use ${removed === 1 ? 'it' : 'them'} as context.`,
		);
	},
} satisfies Command;
