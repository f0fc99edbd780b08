import type { FakeChannel, FakeDiscord, FakeUser, StoredMessage } from '../emulator/discord/index.js';

/** What the page shows of a message, as the member `viewerId` would see it in Discord. */
export type MessageView = {
	readonly id: string;
	readonly author: { readonly id: string; readonly name: string; readonly bot: boolean };
	readonly content: string;
	readonly edited: boolean;
	readonly createdAt: number;
	readonly attachments: readonly {
		readonly id: string;
		readonly filename: string;
		readonly contentType: string;
		readonly url: string;
	}[];
	readonly buttons: readonly {
		readonly customId: string;
		readonly label: string;
		readonly style: number;
		readonly disabled: boolean;
	}[];
	readonly embeds: readonly { readonly title: string; readonly description: string }[];
	/** A reply: the message it answers. */
	readonly replyTo: { readonly author: string; readonly excerpt: string } | undefined;
	/** A command's response: who ran which command. */
	readonly command: { readonly name: string; readonly user: string } | undefined;
	readonly ephemeral: boolean;
	/** "Gemthread is thinking…": a deferred response with nothing in it yet. */
	readonly loading: boolean;
	/** The thread started from this message. */
	readonly thread: { readonly id: string; readonly name: string; readonly messages: number } | undefined;
};

export type ChannelView = {
	readonly id: string;
	readonly name: string;
	readonly kind: 'text' | 'thread';
	readonly parentId: string | undefined;
	readonly archived: boolean;
	readonly locked: boolean;
};

const EPHEMERAL = 1 << 6;
const LOADING = 1 << 7;

export const nameOf = (user: FakeUser): string => user.globalName ?? user.username;

type Component = {
	type?: unknown;
	components?: unknown;
	custom_id?: unknown;
	label?: unknown;
	style?: unknown;
	disabled?: unknown;
};

/** The buttons in a message's action rows. */
function buttonsOf(components: readonly unknown[]): MessageView['buttons'] {
	return (components as Component[]).flatMap((row) =>
		Array.isArray(row.components)
			? (row.components as Component[]).flatMap((button) =>
					button.type === 2 && typeof button.custom_id === 'string'
						? [
								{
									customId: button.custom_id,
									label: typeof button.label === 'string' ? button.label : '…',
									style: typeof button.style === 'number' ? button.style : 2,
									disabled: button.disabled === true,
								},
							]
						: [],
				)
			: [],
	);
}

function embedsOf(embeds: readonly unknown[]): MessageView['embeds'] {
	return (embeds as { title?: unknown; description?: unknown }[]).map((embed) => ({
		title: typeof embed.title === 'string' ? embed.title : '',
		description: typeof embed.description === 'string' ? embed.description : '',
	}));
}

/**
 * Ephemeral responses and followups of `viewerId`'s interactions in a channel: Discord lists them to that member only,
 * so the emulator keeps them out of the channel.
 */
function ephemeralOf(discord: FakeDiscord, channelId: string, viewerId: string): StoredMessage[] {
	return discord.interactions
		.filter((interaction) => interaction.channelId === channelId && interaction.user.id === viewerId)
		.flatMap((interaction) => [interaction.original, ...interaction.followups])
		.filter((message): message is StoredMessage => message !== undefined && (message.flags & EPHEMERAL) !== 0);
}

const bySnowflake = (a: StoredMessage, b: StoredMessage): number =>
	a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** A channel's messages, oldest first, as `viewerId` sees them: others' ephemeral messages left out. */
export function messagesView(discord: FakeDiscord, channelId: string, viewerId: string): MessageView[] {
	const channel = discord.channel(channelId);
	if (!channel) return [];
	const listed = channel.messages.filter((message) => (message.flags & EPHEMERAL) === 0);
	const messages = [...listed, ...ephemeralOf(discord, channelId, viewerId)].sort(bySnowflake);
	// One lookup table per call: the page redraws after every change while the bot streams.
	const byToken = new Map(discord.interactions.map((interaction) => [interaction.token, interaction]));
	return messages.flatMap((message): MessageView[] => {
		if (message.deleted) return [];
		const interaction = message.interactionToken === undefined ? undefined : byToken.get(message.interactionToken);
		const ephemeral = (message.flags & EPHEMERAL) !== 0;
		const referenced = message.messageReference
			? discord
					.channel(message.messageReference.channelId)
					?.messages.find((entry) => entry.id === message.messageReference?.messageId)
			: undefined;
		const thread = discord.channel(message.id);
		return [
			{
				id: message.id,
				author: { id: message.author.id, name: nameOf(message.author), bot: message.author.bot },
				content: message.content,
				edited: message.editedAt !== undefined,
				createdAt: message.createdAt,
				attachments: message.attachments.map((attachment) => ({
					id: attachment.id,
					filename: attachment.filename,
					contentType: attachment.servedContentType ?? attachment.contentType ?? 'application/octet-stream',
					url: `/api/attachments/${attachment.id}`,
				})),
				buttons: buttonsOf(message.components),
				embeds: embedsOf(message.embeds),
				replyTo:
					referenced && !referenced.deleted
						? { author: nameOf(referenced.author), excerpt: referenced.content.slice(0, 100) }
						: undefined,
				command:
					interaction?.commandName !== undefined
						? { name: interaction.commandName, user: nameOf(interaction.user) }
						: undefined,
				ephemeral,
				loading: (message.flags & LOADING) !== 0 && message.content === '',
				thread:
					thread && thread.id !== channelId
						? { id: thread.id, name: thread.name, messages: thread.messages.filter((entry) => !entry.deleted).length }
						: undefined,
			},
		];
	});
}

const isThread = (channel: FakeChannel): boolean => channel.type === 11 || channel.type === 12;

/** The first guild's text channels and threads, in order of creation. */
export function channelsView(discord: FakeDiscord): ChannelView[] {
	return discord.channels
		.filter((channel) => channel.guildId === discord.guild.id && (channel.type === 0 || isThread(channel)))
		.map((channel) => ({
			id: channel.id,
			name: channel.name,
			kind: isThread(channel) ? 'thread' : 'text',
			parentId: channel.parentId,
			archived: channel.archived,
			locked: channel.locked,
		}));
}
