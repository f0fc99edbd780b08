import type { Attachment, NewsChannel, TextChannel } from 'discord.js';
import {
	ApplicationCommandOptionType,
	ChannelType,
	InteractionContextType,
	PermissionFlagsBits,
	ThreadAutoArchiveDuration,
} from 'discord.js';
import { attachFiles, postedFiles } from '../discord/reading/attach-files.js';
import { createChannelReplyTarget } from '../discord/targets/channel-reply-target.js';
import { conversationContext } from '../discord/reading/conversation-context.js';
import { NO_MENTIONS } from '../discord/client/create-discord-client.js';
import { splitMessage } from '../reply/split-message.js';
import { threadName } from '../discord/client/thread-name.js';
import { quote } from '../discord/client/quote.js';
import { UserFacingError } from '../domain/user-facing-error.js';
import type { Command, CommandDeps, GuildCommandInteraction } from './command.js';
import { enterCap, requireAccess, requireMemberPermissions } from './guards.js';
import type { CapTicket } from '../access/member-cap.js';

export const chatCommand = {
	data: {
		name: 'chat',
		description: 'Start a conversation with the AI in a new thread',
		contexts: [InteractionContextType.Guild],
		options: [
			{
				type: ApplicationCommandOptionType.String,
				name: 'prompt',
				description: 'Your first message',
				required: true,
				max_length: 4_000,
			},
			{
				type: ApplicationCommandOptionType.Attachment,
				name: 'file',
				description: 'A picture, PDF, voice recording, video or text file for me to look at',
				required: false,
			},
		],
	},
	async execute(interaction, deps) {
		const { channel } = interaction;
		if (channel?.type !== ChannelType.GuildText && channel?.type !== ChannelType.GuildAnnouncement) {
			throw new UserFacingError(
				'Use /chat in a text channel. Inside a thread, just write your message (mention me in threads I did not start).',
			);
		}
		const prompt = interaction.options.getString('prompt', true).trim();
		if (prompt === '') throw new UserFacingError('Write something in `prompt` to start the chat.');
		// The bot posts the prompt in a new thread of this channel on the member's behalf.
		requireMemberPermissions(
			interaction,
			[
				PermissionFlagsBits.SendMessages,
				PermissionFlagsBits.CreatePublicThreads,
				PermissionFlagsBits.SendMessagesInThreads,
				...(interaction.options.getAttachment('file') ? [PermissionFlagsBits.AttachFiles] : []),
			],
			'start a chat here',
		);
		await requireAccess(interaction, deps.access, true);
		const authorName = interaction.member.displayName;
		const file = interaction.options.getAttachment('file');
		const name = threadName(prompt, authorName);
		const ticket = await enterCap(deps, interaction.user.id);
		try {
			await startChat(interaction, deps, { channel, prompt, authorName, file, name, ticket });
		} finally {
			ticket.leave();
		}
	},
} satisfies Command;

async function startChat(
	interaction: GuildCommandInteraction,
	deps: CommandDeps,
	chat: {
		channel: TextChannel | NewsChannel;
		prompt: string;
		authorName: string;
		file: Attachment | null;
		name: string;
		ticket: CapTicket;
	},
): Promise<void> {
	const { channel, prompt, authorName, file, name, ticket } = chat;
	const done = await deps.budget.acquire(undefined, 'urgent');
	const thread = await channel.threads
		.create({
			name,
			autoArchiveDuration: ThreadAutoArchiveDuration.OneDay,
			reason: `/chat by ${interaction.user.username}`,
		})
		.finally(done);
	// Under the thread's intake lock: a member quick enough to write in the new thread is stored after the prompt.
	const userTurn = await deps.intake.run(thread.id, async () => {
		await deps.sessions.ensureSession({
			threadId: thread.id,
			guildId: interaction.guildId,
			parentChannelId: channel.id,
			creatorId: interaction.user.id,
			owned: true,
			botThreadName: thread.name,
		});
		// The interaction id stands in for the message id: the prompt was never a message of its own.
		return deps.sessions.appendUserTurn({
			threadId: thread.id,
			authorId: interaction.user.id,
			authorName,
			content: prompt,
			discordMessageId: interaction.id,
		});
	});
	if (!userTurn) return;
	const reply = deps.responder.respond({
		userTurn,
		botId: interaction.client.user.id,
		context: conversationContext(interaction.guild, channel.name, thread.name),
		openTarget: async () => {
			// Show the question in the thread, since it was typed into a command and not posted as a message.
			const attached = file ? `\n📎 ${file.name}` : '';
			for (const part of splitMessage(`**${authorName}** asked:\n${quote(prompt)}${attached}`)) {
				await thread.send({ content: part, allowedMentions: NO_MENTIONS });
			}
			return createChannelReplyTarget(thread, { stopButtonFor: thread.id });
		},
		onGone: (reason) => {
			if (reason === 'forbidden') deps.notices.notify(thread);
		},
		attachFiles: (signal) =>
			attachFiles(deps.files, { files: file ? postedFiles([file]) : [], repliedTo: undefined }, userTurn.id, signal),
		ticket,
	});
	await interaction.editReply({ content: `Your chat is in <#${thread.id}>.`, allowedMentions: NO_MENTIONS });
	await reply;
}
