import type { Guild, GuildMember } from 'discord.js';
import { InteractionContextType, PermissionFlagsBits } from 'discord.js';
import { replyInParts } from '../discord/targets/reply-in-parts.js';
import type { Command } from './command.js';
import { MODERATOR_PERMISSION } from '../discord/client/moderator-permission.js';
import { requireModerator } from './guards.js';
import { usageReportText } from './usage-report-text.js';

const DAY_MS = 24 * 60 * 60 * 1_000;

export const usageCommand = {
	data: {
		name: 'usage',
		description: 'Show the model tokens used over the last day and month, by channel and member',
		contexts: [InteractionContextType.Guild],
		default_member_permissions: MODERATOR_PERMISSION.toString(),
	},
	async execute(interaction, deps) {
		requireModerator(interaction);
		// The whole server (private channels included) only for those who manage it; otherwise what they can see.
		const wholeServer = interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild);
		const channels = wholeServer ? undefined : visibleChannels(interaction.guild, interaction.member);
		const now = Date.now();
		const report = (since: number) => deps.usage.report(interaction.guildId, since, channels);
		const [day, month] = await Promise.all([report(now - DAY_MS), report(now - 30 * DAY_MS)]);
		const text = usageReportText(
			[
				{ label: 'Last 24 hours', report: day },
				{ label: 'Last 30 days', report: month },
			],
			{ scope: wholeServer ? 'server' : 'visible-channels' },
		);
		await replyInParts(interaction, text);
	},
} satisfies Command;

/** Text channels the member can view (usage is counted per text channel; threads count in their parent's). */
function visibleChannels(guild: Guild, member: GuildMember): string[] {
	return guild.channels.cache
		.filter((channel) => !channel.isThread() && channel.permissionsFor(member).has(PermissionFlagsBits.ViewChannel))
		.map((channel) => channel.id);
}
