import type { AttachmentStore, NewAttachment } from '../store/attachment-store.js';
import type { SessionStore } from '../store/session-store.js';
import { imageName } from './image-name.js';
import type { DrawOutcome } from './draw-image.js';

/**
 * A picture drawn in a bot thread becomes part of the conversation: the prompt as the member's turn (with the picture
 * they gave), the result as a model turn with the pictures, so a member can reply to it to have it changed.
 */
export function storeDrawing(
	deps: { readonly sessions: SessionStore; readonly attachments: AttachmentStore },
	drawing: {
		threadId: string;
		/** `id`: the message (or interaction) that asked. */
		question: { id: string; authorId: string; authorName: string; prompt: string };
		input: NewAttachment | undefined;
		outcome: DrawOutcome;
		model: string;
		replyMessageId: string;
		bot: { id: string; name: string };
	},
): void {
	const { question, outcome } = drawing;
	const userTurn = deps.sessions.appendUserTurn({
		threadId: drawing.threadId,
		authorId: question.authorId,
		authorName: question.authorName,
		content: question.prompt,
		discordMessageId: question.id,
	});
	if (!userTurn) return;
	if (drawing.input) deps.attachments.add(userTurn.id, [drawing.input]);
	const modelTurn = deps.sessions.appendModelTurn(
		{
			threadId: drawing.threadId,
			replyToId: userTurn.id,
			authorId: drawing.bot.id,
			authorName: drawing.bot.name,
			model: drawing.model,
		},
		{
			content: outcome.text,
			replyMessageIds: [drawing.replyMessageId],
			status: outcome.status,
			finishReason: undefined,
			errorCode: outcome.errorCode,
			model: drawing.model,
			usage: outcome.usage,
		},
	);
	deps.attachments.add(
		modelTurn.id,
		outcome.images.map((image, index) => ({
			filename: imageName(index, image.mimeType),
			mimeType: image.mimeType,
			kind: 'image' as const,
			data: image.data,
		})),
	);
}
