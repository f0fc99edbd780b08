import type { Message } from 'discord.js';
import type { DrawCall, DrawOutcome } from '../../images/draw-image.js';
import type { Logger } from '../../log/logger.js';
import type { AttachmentStore } from '../../store/ports/attachment-store.js';
import type { SessionStore } from '../../store/ports/session-store.js';
import type { StoredTurn } from '../../domain/turn.js';
import type { BudgetLedger } from '../../access/budget-ledger.js';
import type { CapTicket } from '../../access/member-cap.js';
import { drawingText } from '../../images/drawing-text.js';
import { NO_MENTIONS } from '../client/create-discord-client.js';
import { imageName } from '../../images/image-name.js';
import { storeDrawingReply } from '../../images/store-drawing.js';

export type RedrawDeps = {
	readonly sessions: SessionStore;
	readonly attachments: AttachmentStore;
	readonly budgets: Pick<BudgetLedger, 'charge'>;
	/** undefined without Gemini: no picture of the bot's can be there to reply to. */
	readonly draw: ((call: DrawCall) => Promise<DrawOutcome>) | undefined;
	/** GEMINI_IMAGE_MODEL: replies to its pictures are asked of it. */
	readonly imageModel: string;
	readonly logger: Logger;
};

/** The picture the bot drew that a member's message replies to, if it replies to one. */
export async function pictureRepliedTo(deps: RedrawDeps, message: Message): Promise<StoredTurn | undefined> {
	if (!deps.draw) return undefined;
	const repliedTo = message.reference?.messageId;
	const turn = repliedTo === undefined ? undefined : await deps.sessions.findByDiscordMessage(repliedTo);
	return turn?.role === 'model' && turn.model === deps.imageModel && turn.attachmentCount > 0 ? turn : undefined;
}

/**
 * "Make the sky darker" in reply to a picture the bot drew: the picture and the words go to the image model, and the
 * new picture comes back as a reply, stored like /imagine's (so it can be changed again).
 */
export async function redrawReply(
	deps: RedrawDeps,
	message: Message<true>,
	question: StoredTurn,
	picture: StoredTurn,
	ticket: CapTicket,
): Promise<void> {
	const { draw } = deps;
	if (!draw) return;
	const last = (await deps.attachments.of(picture.id)).filter((file) => file.kind === 'image').at(-1);
	const data = last && (await deps.attachments.bytes(last.sha256));
	const session = await deps.sessions.getSession(question.threadId);
	const outcome = await draw({
		model: deps.imageModel,
		member: message.author.id,
		prompt: question.content,
		image: last && data ? { mimeType: last.mimeType, data } : undefined,
		onStarted: ticket.leave,
		charge:
			session &&
			deps.budgets.charge({
				guildId: session.guildId,
				channelId: session.parentChannelId,
				userId: message.author.id,
				kind: 'image',
			}),
	});
	const files = outcome.images.map((image, index) => ({
		attachment: image.data,
		name: imageName(index, image.mimeType),
	}));
	const sent = await message.reply({ content: drawingText(outcome), files, allowedMentions: NO_MENTIONS });
	await storeDrawingReply(deps, {
		threadId: question.threadId,
		replyToId: question.id,
		bot: {
			id: message.client.user.id,
			name: message.guild.members.me?.displayName ?? message.client.user.username,
		},
		model: deps.imageModel,
		outcome,
		replyMessageId: sent.id,
	});
	deps.logger.info(
		{ threadId: question.threadId, status: outcome.status, images: outcome.images.length },
		'picture changed',
	);
}
