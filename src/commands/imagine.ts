import { ApplicationCommandOptionType, InteractionContextType, PermissionFlagsBits } from 'discord.js';
import { MAX_MESSAGE_INLINE_BYTES, prepareAttachments } from '../attachments/prepare-attachments.js';
import { postedFiles } from '../discord/reading/attach-files.js';
import { NO_MENTIONS } from '../discord/client/create-discord-client.js';
import { drawingText } from '../images/drawing-text.js';
import { imageName } from '../images/image-name.js';
import { storeDrawing } from '../images/store-drawing.js';
import { UserFacingError } from '../domain/user-facing-error.js';
import type { Command, CommandDeps, GuildCommandInteraction } from './command.js';
import { enterCap, requireAccess, requireMemberPermissions, sendPermission } from './guards.js';

const NEEDS_GEMINI =
	'Drawing needs Gemini, and this bot has none configured: a server admin can set GEMINI_API_KEY (or Vertex AI) to turn it on.';

export const imagineCommand = {
	data: {
		name: 'imagine',
		description: 'Draw a picture with Gemini, or change a picture you attach',
		contexts: [InteractionContextType.Guild],
		options: [
			{
				type: ApplicationCommandOptionType.String,
				name: 'prompt',
				description: 'What to draw, or how to change the picture',
				required: true,
				max_length: 2_000,
			},
			{
				type: ApplicationCommandOptionType.Attachment,
				name: 'image',
				description: 'A picture to change instead of drawing from scratch',
				required: false,
			},
			{
				type: ApplicationCommandOptionType.Boolean,
				name: 'public',
				description: 'Show the picture to everyone here (default: only you)',
				required: false,
			},
		],
	},
	ephemeral: (interaction) => !isPublic(interaction),
	async execute(interaction, deps) {
		const { draw } = deps;
		if (!draw) throw new UserFacingError(NEEDS_GEMINI);
		const prompt = interaction.options.getString('prompt', true).trim();
		if (prompt === '') throw new UserFacingError('Write what to draw in `prompt`.');
		if (isPublic(interaction)) {
			requireMemberPermissions(
				interaction,
				[sendPermission(interaction), PermissionFlagsBits.AttachFiles],
				'post a picture here',
			);
		}
		await requireAccess(interaction, deps.access, true);
		const input = await inputImage(interaction, deps);
		const model = deps.config.geminiImageModel;
		const channelId = interaction.channel?.isThread()
			? (interaction.channel.parentId ?? interaction.channelId)
			: interaction.channelId;
		const ticket = await enterCap(deps, interaction.user.id);
		const outcome = await draw({
			model,
			member: interaction.user.id,
			prompt,
			image: input?.image,
			onStarted: ticket.leave,
			charge: deps.budgets.charge({
				guildId: interaction.guildId,
				channelId,
				userId: interaction.user.id,
				kind: 'image',
			}),
		}).finally(ticket.leave);
		deps.logger.info(
			{
				interactionId: interaction.id,
				status: outcome.status,
				errorCode: outcome.errorCode,
				images: outcome.images.length,
			},
			'image finished',
		);
		const reply = await interaction.editReply({
			content: drawingText(outcome),
			files: outcome.images.map((image, index) => ({ attachment: image.data, name: imageName(index, image.mimeType) })),
			allowedMentions: NO_MENTIONS,
		});
		// Only a picture everyone here saw becomes part of the thread's conversation: a private one stays private.
		const session =
			interaction.channel?.isThread() && isPublic(interaction)
				? await deps.sessions.getSession(interaction.channelId)
				: undefined;
		if (session) {
			await storeDrawing(deps, {
				threadId: session.threadId,
				question: {
					id: interaction.id,
					authorId: interaction.user.id,
					authorName: interaction.member.displayName,
					prompt,
				},
				input: input?.stored,
				outcome,
				model,
				replyMessageId: reply.id,
				bot: {
					id: interaction.client.user.id,
					name: interaction.guild.members.me?.displayName ?? interaction.client.user.username,
				},
			});
		}
	},
} satisfies Command;

function isPublic(interaction: GuildCommandInteraction): boolean {
	return interaction.options.getBoolean('public') === true;
}

async function inputImage(interaction: GuildCommandInteraction, deps: CommandDeps) {
	const attachment = interaction.options.getAttachment('image');
	if (!attachment) return undefined;
	const prepared = await prepareAttachments(postedFiles([attachment]), {
		fetcher: deps.files.fetcher,
		maxBytes: deps.files.maxBytes,
		maxMessageBytes: MAX_MESSAGE_INLINE_BYTES,
		maxFiles: 1,
	});
	const file = prepared.files[0];
	if (file?.kind !== 'image') {
		throw new UserFacingError(
			`I could not use ${attachment.name}: ${prepared.refused[0]?.why ?? 'it is not a picture'}.`,
		);
	}
	return { image: { mimeType: file.mimeType, data: file.data }, stored: file };
}
