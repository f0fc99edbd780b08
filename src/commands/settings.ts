import { EVERYONE } from '../domain/setting-values.js';
import type { APIApplicationCommandBasicOption } from 'discord.js';
import { ApplicationCommandOptionType, InteractionContextType } from 'discord.js';
import { describePlace } from '../discord/client/describe-place.js';
import { replyInParts } from '../discord/targets/reply-in-parts.js';
import {
	MAX_OUTPUT_TOKENS_RANGE,
	parseSettingValues,
	TEMPERATURE_RANGE,
	THINKING_BUDGET_MAX,
} from '../settings/parse-setting-values.js';
import { changedText, modelWarning, settingsText } from '../settings/settings-text.js';

import type { Command } from './command.js';
import { MODERATOR_PERMISSION } from '../discord/client/moderator-permission.js';
import { requireModeratedChannel } from './guards.js';

const bool = (name: string, description: string): APIApplicationCommandBasicOption => ({
	type: ApplicationCommandOptionType.Boolean,
	name,
	description,
});

export const settingsCommand = {
	data: {
		name: 'settings',
		description: "Show or change Gemini's tools and settings for this channel (or thread)",
		contexts: [InteractionContextType.Guild],
		default_member_permissions: MODERATOR_PERMISSION.toString(),
		options: [
			{ type: ApplicationCommandOptionType.Subcommand, name: 'show', description: 'Show the settings in effect here' },
			{
				type: ApplicationCommandOptionType.Subcommand,
				name: 'set',
				description: 'Change settings: in a channel for it and its threads, in a thread for that thread only',
				options: [
					bool('search', 'Let Gemini search Google and list its sources'),
					bool('urls', 'Let Gemini read the links members post'),
					bool('code', 'Let Gemini write and run code to work things out'),
					bool('footer', 'Show tokens and speed under each reply'),
					{
						type: ApplicationCommandOptionType.Number,
						name: 'temperature',
						description: `Randomness, ${TEMPERATURE_RANGE.min} (focused) to ${TEMPERATURE_RANGE.max} (creative)`,
						min_value: TEMPERATURE_RANGE.min,
						max_value: TEMPERATURE_RANGE.max,
					},
					{
						type: ApplicationCommandOptionType.Integer,
						name: 'max_output_tokens',
						description: 'Longest answer, in tokens (about 4 characters each)',
						min_value: MAX_OUTPUT_TOKENS_RANGE.min,
						max_value: MAX_OUTPUT_TOKENS_RANGE.max,
					},
					{
						type: ApplicationCommandOptionType.String,
						name: 'thinking',
						description: `Gemini 2.5 thinking: off, auto, or a token budget up to ${THINKING_BUDGET_MAX}`,
						max_length: 10,
					},
					bool('enabled', 'Answer members here; off: only moderators are answered'),
					{
						type: ApplicationCommandOptionType.Role,
						name: 'role',
						description: 'Only members with this role may start a conversation here (@everyone: anyone)',
					},
				],
			},
			{
				type: ApplicationCommandOptionType.Subcommand,
				name: 'reset',
				description: "Drop this channel's (or thread's) own settings",
			},
		],
	},
	async execute(interaction, deps) {
		const channel = requireModeratedChannel(interaction);
		const channelId = channel.isThread() ? (channel.parentId ?? channel.id) : channel.id;
		const place = describePlace(channel);
		const model = await deps.modelFor(channelId);
		const subcommand = interaction.options.getSubcommand(true);
		if (subcommand === 'set') {
			const { options } = interaction;
			const values = parseSettingValues({
				search: options.getBoolean('search'),
				urls: options.getBoolean('urls'),
				code: options.getBoolean('code'),
				footer: options.getBoolean('footer'),
				temperature: options.getNumber('temperature'),
				maxOutputTokens: options.getInteger('max_output_tokens'),
				thinking: options.getString('thinking'),
				enabled: options.getBoolean('enabled'),
				// @everyone (whose id is the server's) lifts the requirement.
				role: roleOption(options.getRole('role')?.id, interaction.guildId),
			});
			await deps.modelSettings.set({
				scopeId: channel.id,
				guildId: interaction.guildId,
				setBy: interaction.user.id,
				values,
			});
			const scope = channel.isThread() ? 'this thread only' : 'this channel and its threads';
			const warning = modelWarning(model, values, deps.isGemini(model));
			const lines = [`Settings changed for ${place} (${scope}):`, changedText(values)];
			if (warning) lines.push(`-# ${warning}`);
			await replyInParts(interaction, lines.join('\n'));
		} else if (subcommand === 'reset') {
			const cleared = await deps.modelSettings.clear(channel.id);
			const now = channel.isThread() ? `it follows <#${channelId}> again` : 'the defaults apply again';
			await replyInParts(
				interaction,
				cleared ? `Settings reset for ${place}: ${now}.` : `${place} has no settings of its own.`,
			);
		} else {
			const settings = await deps.settingsFor(channel.id, channelId);
			await replyInParts(
				interaction,
				settingsText(place, settings, {
					model,
					inThread: channel.isThread(),
					channelId,
					gemini: deps.isGemini(model),
				}),
			);
		}
	},
} satisfies Command;

function roleOption(roleId: string | undefined, guildId: string): string | null {
	if (roleId === undefined) return null;
	return roleId === guildId ? EVERYONE : roleId;
}
