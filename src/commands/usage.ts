import { InteractionContextType } from 'discord.js';
import { replyInParts } from '../discord/reply-in-parts.js';
import type { Command } from './command.js';
import { MODERATOR_PERMISSION } from '../discord/moderator-permission.js';
import { requireModerator } from './guards.js';
import { usageReportText } from './usage-report-text.js';

const DAY_MS = 24 * 60 * 60 * 1_000;

export const usageCommand = {
	data: {
		name: 'usage',
		description: 'Show the Gemini tokens used in this server over the last day and month, by channel and member',
		contexts: [InteractionContextType.Guild],
		default_member_permissions: MODERATOR_PERMISSION.toString(),
	},
	async execute(interaction, deps) {
		requireModerator(interaction);
		const now = Date.now();
		const text = usageReportText([
			{ label: 'Last 24 hours', report: deps.usage.report(interaction.guildId, now - DAY_MS) },
			{ label: 'Last 30 days', report: deps.usage.report(interaction.guildId, now - 30 * DAY_MS) },
		]);
		await replyInParts(interaction, text);
	},
} satisfies Command;
