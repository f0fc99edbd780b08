import type { Attachment, Embed, GuildTextBasedChannel, Message, MessageSnapshot, Sticker } from 'discord.js';
import { isMissingPermission } from '../discord/client/is-missing-permission.js';
import { UserFacingError } from '../domain/user-facing-error.js';
import type { History, HistoryBounds } from './fetch-history.js';
import { fetchHistory } from './fetch-history.js';
import type { TranscriptMessage } from './format-transcript.js';

const EMBED_TEXT_LIMIT = 300;
const NO_ACCESS =
	'I cannot read the messages here: I need the View Channel and Read Message History permissions in this channel.';

type MessageParts = Pick<Message | MessageSnapshot, 'content' | 'attachments' | 'embeds' | 'stickers'>;

/**
 * The channel's messages within `bounds`, oldest first, as transcript messages. System messages (joins, pins)
 * and the bot's own command answers (earlier summaries) are left out; everything else, other bots included,
 * is kept: feeds and bots often post what a conversation is about.
 */
export async function readChannelHistory(
	channel: GuildTextBasedChannel,
	bounds: HistoryBounds,
	botId: string,
): Promise<History<TranscriptMessage>> {
	let history: History<Message>;
	try {
		history = await fetchHistory(
			async (page) => (await channel.messages.fetch({ ...page, cache: false })).values(),
			bounds,
		);
	} catch (error) {
		if (isMissingPermission(error)) throw new UserFacingError(NO_ACCESS);
		throw error;
	}
	const names = new Map(history.messages.map((message) => [message.id, nameOf(message)]));
	const messages = history.messages
		.filter((message) => !message.system && !(message.author.id === botId && message.interactionMetadata))
		.map((message) => toTranscriptMessage(message, names))
		.filter((message) => message.content !== '' || (message.extras ?? []).length > 0);
	return { messages, reachedLimit: history.reachedLimit };
}

function toTranscriptMessage(message: Message, names: ReadonlyMap<string, string>): TranscriptMessage {
	const replyTo = message.reference?.messageId;
	return {
		authorName: nameOf(message),
		bot: message.author.bot,
		content: message.cleanContent.trim(),
		createdAt: message.createdTimestamp,
		replyTo: replyTo === undefined ? undefined : names.get(replyTo),
		extras: [
			...extrasOf(message),
			...message.messageSnapshots.map((snapshot) => {
				const forwarded = [snapshot.content, ...extrasOf(snapshot).map((extra) => `(${extra})`)];
				return `forwarded: ${forwarded.filter((part) => part !== '').join(' ')}`;
			}),
		],
	};
}

// Members are cached from the gateway; without the privileged members intent others fall back to their global name.
function nameOf(message: Message): string {
	return message.member?.displayName ?? message.author.displayName;
}

function extrasOf(message: MessageParts): string[] {
	return [
		...message.attachments.map(describeAttachment),
		...message.embeds.map(describeEmbed),
		...message.stickers.map((sticker: Sticker) => `sticker: ${sticker.name}`),
	];
}

function describeAttachment(attachment: Attachment): string {
	const kind = attachment.contentType?.split('/')[0];
	return `${kind === 'image' || kind === 'video' || kind === 'audio' ? kind : 'file'}: ${attachment.name}`;
}

function describeEmbed(embed: Embed): string {
	const description = embed.description ?? '';
	const text = description.length > EMBED_TEXT_LIMIT ? `${description.slice(0, EMBED_TEXT_LIMIT)}…` : description;
	const parts = [embed.title, embed.url, text].filter((part) => part !== null && part !== '');
	return parts.length === 0 ? 'embed' : `embed: ${parts.join(' — ')}`;
}
