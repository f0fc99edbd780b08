import { ApplicationCommandOptionType, InteractionContextType } from 'discord.js';
import { replyInParts } from '../discord/targets/reply-in-parts.js';
import { UserFacingError } from '../domain/user-facing-error.js';
import type { Command, CommandDeps } from './command.js';
import { MODERATOR_PERMISSION } from '../discord/client/moderator-permission.js';
import { requireModeratedChannel } from './guards.js';

const DEFAULT_MODEL_CHOICE = 'default';
// Discord allows at most 25 choices; beyond that the name is typed and checked against the list.
const MAX_CHOICES = 25;

/** /model, offering the allowed models (GEMINI_MODELS) as choices when they fit in Discord's list. */
export function createModelCommand(models: readonly string[]): Command {
	const choices = [...models, DEFAULT_MODEL_CHOICE].map((model) => ({
		name: model === DEFAULT_MODEL_CHOICE ? 'default (GEMINI_MODEL)' : model,
		value: model,
	}));
	return {
		...modelCommand,
		data: {
			...modelCommand.data,
			options: modelCommand.data.options.map((option) =>
				choices.length <= MAX_CHOICES ? { ...option, choices } : option,
			),
		},
	};
}

const modelCommand = {
	data: {
		name: 'model',
		description: "Show or choose the model of this channel (a thread uses its channel's)",
		contexts: [InteractionContextType.Guild],
		default_member_permissions: MODERATOR_PERMISSION.toString(),
		options: [
			{
				type: ApplicationCommandOptionType.String,
				name: 'name',
				description: `A model from the allowed list (leave empty to see it), or "${DEFAULT_MODEL_CHOICE}" to use the default again`,
				max_length: 100,
			},
		],
	},
	async execute(interaction, deps) {
		const channel = requireModeratedChannel(interaction);
		// Replies in a thread use the model of its parent channel, so that is what a choice made in a thread sets.
		const channelId = (channel.isThread() ? channel.parentId : undefined) ?? channel.id;
		const requested = interaction.options.getString('name')?.trim();
		if (requested === undefined || requested === '') {
			await replyInParts(interaction, await describeModel(channelId, deps));
			return;
		}
		const { defaultModel } = deps.config;
		if (requested.toLowerCase() === DEFAULT_MODEL_CHOICE) {
			const cleared = await deps.settings.clearChannelModel(channelId);
			await replyInParts(
				interaction,
				cleared
					? `<#${channelId}> and its threads use the default model again: **${defaultModel}**.`
					: `<#${channelId}> already uses the default model, **${defaultModel}**.`,
			);
			return;
		}
		const model = findAllowed(requested, deps.config.models);
		if (model === undefined) {
			throw new UserFacingError(
				`\`${requested}\` is not an allowed model. ${allowedList(deps.config.models, defaultModel)}`,
			);
		}
		await deps.settings.setChannelModel({ channelId, guildId: interaction.guildId, model, setBy: interaction.user.id });
		const pinned = model === defaultModel ? ' (the default today; this channel keeps it if the default changes)' : '';
		await replyInParts(
			interaction,
			`<#${channelId}> now uses **${model}**${pinned}: the next replies in its threads come from it.`,
		);
	},
} satisfies Command;

function findAllowed(requested: string, allowed: readonly string[]): string | undefined {
	const wanted = requested.replace(/^models\//i, '').toLowerCase();
	return allowed.find((model) => model.toLowerCase() === wanted);
}

async function describeModel(channelId: string, deps: CommandDeps): Promise<string> {
	const { defaultModel, models } = deps.config;
	return [
		`${await currentModel(channelId, deps)} Its threads use it too.`,
		allowedList(models, defaultModel),
		`Choose one with \`/model name:<model>\`; \`/model name:${DEFAULT_MODEL_CHOICE}\` goes back to the default.`,
	].join('\n');
}

async function currentModel(channelId: string, deps: CommandDeps): Promise<string> {
	const [choice, inUse] = await Promise.all([deps.settings.channelModel(channelId), deps.modelFor(channelId)]);
	if (!choice) return `<#${channelId}> uses the default model, **${inUse}**.`;
	if (choice.model !== inUse) {
		return `<#${channelId}> chose **${choice.model}**, which is no longer allowed, so it uses the default, **${inUse}**.`;
	}
	return `<#${channelId}> uses **${inUse}**, chosen by <@${choice.setBy}> <t:${Math.floor(choice.setAt / 1_000)}:R>.`;
}

function allowedList(models: readonly string[], defaultModel: string): string {
	const names = models.map((model) => `\`${model}\`${model === defaultModel ? ' (default)' : ''}`);
	return `Allowed models: ${names.join(', ')}.`;
}
