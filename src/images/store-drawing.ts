import type { AttachmentStore, NewAttachment } from '../store/ports/attachment-store.js';
import type { SessionStore } from '../store/ports/session-store.js';
import type { StoredTurn } from '../domain/turn.js';
import type { DrawOutcome } from './draw-image.js';
import { imageName } from './image-name.js';

export type DrawingStores = { readonly sessions: SessionStore; readonly attachments: AttachmentStore };

/** A drawing posted as an answer to `replyToId`: a model turn with the pictures, so a member can reply to change it. */
export async function storeDrawingReply(
	deps: DrawingStores,
	drawing: {
		threadId: string;
		replyToId: number;
		bot: { id: string; name: string };
		model: string;
		outcome: DrawOutcome;
		replyMessageId: string;
	},
): Promise<StoredTurn> {
	const { outcome, model } = drawing;
	const turn = await deps.sessions.appendModelTurn(
		{
			threadId: drawing.threadId,
			replyToId: drawing.replyToId,
			authorId: drawing.bot.id,
			authorName: drawing.bot.name,
			model,
		},
		{
			content: outcome.text,
			replyMessageIds: [drawing.replyMessageId],
			status: outcome.status,
			finishReason: undefined,
			errorCode: outcome.errorCode,
			model,
			usage: outcome.usage,
		},
	);
	await deps.attachments.add(
		turn.id,
		outcome.images.map((image, index) => ({
			filename: imageName(index, image.mimeType),
			mimeType: image.mimeType,
			kind: 'image' as const,
			data: image.data,
		})),
	);
	return turn;
}

/**
 * A picture drawn with /imagine in a bot thread becomes part of the conversation: the prompt as the member's turn
 * (with the picture they gave), the result as the answer to it.
 */
export async function storeDrawing(
	deps: DrawingStores,
	drawing: Omit<Parameters<typeof storeDrawingReply>[1], 'replyToId'> & {
		/** `id`: the interaction that asked. */
		question: { id: string; authorId: string; authorName: string; prompt: string };
		input: NewAttachment | undefined;
	},
): Promise<void> {
	const { question } = drawing;
	const userTurn = await deps.sessions.appendUserTurn({
		threadId: drawing.threadId,
		authorId: question.authorId,
		authorName: question.authorName,
		content: question.prompt,
		discordMessageId: question.id,
	});
	if (!userTurn) return;
	if (drawing.input) await deps.attachments.add(userTurn.id, [drawing.input]);
	await storeDrawingReply(deps, { ...drawing, replyToId: userTurn.id });
}
