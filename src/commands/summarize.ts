import type { GuildTextBasedChannel } from 'discord.js';
import { ApplicationCommandOptionType, InteractionContextType, PermissionFlagsBits } from 'discord.js';
import { NO_MENTIONS } from '../discord/client/create-discord-client.js';
import { followUpLikeReply } from '../discord/targets/follow-up-like-reply.js';
import { createInteractionReplyTarget } from '../discord/targets/interaction-reply-target.js';
import type { SummaryContext } from '../summarize/build-summary-prompt.js';
import { formatTranscript } from '../summarize/format-transcript.js';
import { summaryOptions } from '../settings/model-settings.js';
import { readConversation } from '../summarize/read-conversation.js';
import type { SummaryBounds } from '../summarize/summary-bounds.js';
import { MAX_MESSAGES, summaryBounds } from '../summarize/summary-bounds.js';
import { summarizeTranscript } from '../summarize/summarize-transcript.js';
import { UserFacingError } from '../domain/user-facing-error.js';
import type { Command, CommandDeps, GuildCommandInteraction } from './command.js';
import { hasBotThreadName } from '../domain/bot-thread-name.js';
import type { Session } from '../domain/session.js';
import { enterCap, requireAccess, requireMemberPermissions, sendPermission } from './guards.js';
import type { CapTicket } from '../access/member-cap.js';

// Discord accepts answers to a command for 15 minutes; stopping a minute early leaves time for the final edit.
const TIME_LIMIT_MS = 14 * 60_000;
const ALREADY_SUMMARIZING = 'You already have a summary being written. Wait for it to finish, then try again.';

export const summarizeCommand = {
	data: {
		name: 'summarize',
		description: 'Summarize this conversation, or the recent messages of this channel or thread',
		contexts: [InteractionContextType.Guild],
		options: [
			{
				type: ApplicationCommandOptionType.Integer,
				name: 'messages',
				description: 'How many recent messages to read (default: 100, or the whole conversation in my threads)',
				min_value: 1,
				max_value: MAX_MESSAGES,
			},
			{
				type: ApplicationCommandOptionType.String,
				name: 'since',
				description: 'Only messages from this recent stretch, such as 30m, 2h or 3d',
				max_length: 20,
			},
			{ type: ApplicationCommandOptionType.Boolean, name: 'public', description: 'Show the summary to everyone here' },
		],
	},
	ephemeral: (interaction) => !isPublic(interaction),
	async execute(interaction, deps) {
		const { options } = interaction;
		const bounds = summaryBounds(
			{ messages: options.getInteger('messages'), since: options.getString('since') },
			interaction.createdTimestamp,
		);
		const { channel } = interaction;
		if (!channel) throw new UserFacingError('I cannot see this channel; I need the View Channel permission here.');
		requireMemberPermissions(
			interaction,
			[PermissionFlagsBits.ReadMessageHistory, ...(isPublic(interaction) ? [sendPermission(interaction)] : [])],
			isPublic(interaction) ? 'post a summary of it here' : 'summarize it',
		);
		await requireAccess(interaction, deps.access, false);
		const member = interaction.user.id;
		// One at a time: a summary may run up to 20 model calls, one after the other.
		if (deps.summarizing.has(member)) throw new UserFacingError(ALREADY_SUMMARIZING);
		const ticket = await enterCap(deps, member);
		deps.summarizing.add(member);
		try {
			await summarize(interaction, deps, { channel, bounds, ticket });
		} finally {
			ticket.leave();
			deps.summarizing.delete(member);
		}
	},
} satisfies Command;

async function summarize(
	interaction: GuildCommandInteraction,
	deps: CommandDeps,
	request: { channel: GuildTextBasedChannel; bounds: SummaryBounds; ticket: CapTicket },
): Promise<void> {
	const { channel, bounds, ticket } = request;
	// Only messages older than the command itself: never its own reply, nor anything written while it runs.
	const source = await readConversation(channel, bounds, {
		sessions: deps.sessions,
		before: interaction.id,
		botId: interaction.client.user.id,
	});
	if (source.messages.length === 0) {
		const { sinceText } = bounds;
		await interaction.editReply(
			sinceText === undefined
				? 'There is nothing to summarize here yet.'
				: `Nothing was written here in the last ${sinceText}.`,
		);
		return;
	}

	const channelId = channel.isThread() ? (channel.parentId ?? channel.id) : channel.id;
	const member = interaction.user.id;
	const startedAt = Date.now();
	const [models, settings, session, persona] = await Promise.all([
		deps.modelsFor(channelId),
		deps.settingsFor(channel.id, channelId),
		deps.sessions.getSession(channel.id),
		deps.personas.effective(channel.id, channelId),
	]);
	const { outcome, parts } = await summarizeTranscript(
		formatTranscript(source.messages),
		createInteractionReplyTarget(interaction),
		{
			generate: deps.generate,
			models,
			member,
			charge: deps.budgets.charge({ guildId: interaction.guildId, channelId, userId: member, kind: 'summary' }),
			onStarted: ticket.leave,
			options: summaryOptions(settings.values),
			context: {
				...summaryContext(interaction, channel, source.inSession),
				threadName: membersThreadName(channel, session),
				persona: persona?.prompt,
			},
			chunkTokens: deps.config.summaryChunkTokens,
			deadline: interaction.createdTimestamp + TIME_LIMIT_MS,
			async onProgress(line) {
				// Not editReply: that marks the interaction replied, after which the error boundary answers in a
				// follow-up and would leave this line standing in place of the summary.
				const progress = { content: line, allowedMentions: NO_MENTIONS };
				await interaction.webhook.editMessage('@original', progress).catch((error: unknown) => {
					deps.logger.warn({ err: error, interactionId: interaction.id }, 'summary progress not shown');
				});
			},
		},
	);
	const { status, errorCode } = outcome;
	const durationMs = Date.now() - startedAt;
	const messages = source.messages.length;
	deps.logger.info(
		{ interactionId: interaction.id, messages, parts, status, errorCode, durationMs },
		'summary finished',
	);
	if (source.reachedLimit && bounds.limit === undefined && bounds.since !== undefined && status !== 'error') {
		await followUpLikeReply(interaction, {
			content: `ℹ️ I read only the newest ${MAX_MESSAGES.toLocaleString('en-US')} messages; older ones from the last ${bounds.sinceText ?? ''} are not in this summary.`,
		});
	}
}

/** A thread's name when members chose it; the name the bot gave its own thread only repeats the first question. */
function membersThreadName(channel: GuildTextBasedChannel, session: Session | undefined): string | undefined {
	return channel.isThread() && !hasBotThreadName(session, channel.name) ? channel.name : undefined;
}

function isPublic(interaction: GuildCommandInteraction): boolean {
	return interaction.options.getBoolean('public') === true;
}

function summaryContext(
	interaction: GuildCommandInteraction,
	channel: GuildTextBasedChannel,
	withBot: boolean,
): Omit<SummaryContext, 'persona'> {
	const place = channel.isThread() ? `a thread in #${channel.parent?.name ?? 'a channel'}` : `#${channel.name}`;
	const botName = interaction.guild.members.me?.displayName ?? interaction.client.user.username;
	return {
		guildName: interaction.guild.name,
		place,
		now: new Date(),
		botName: withBot ? botName : undefined,
	};
}
