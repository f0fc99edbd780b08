/* eslint-disable @typescript-eslint/no-unsafe-enum-assignment -- Discord sends 0 for empty flag fields, which the
   discord-api-types flag enums have no member for; wire numbers from the fake's state are assigned as-is. */
import {
	ChannelType,
	ForumLayoutType,
	InteractionType,
	MessageReferenceType,
	ThreadAutoArchiveDuration,
} from 'discord-api-types/v10';
import type {
	APIChannel,
	APIEmbed,
	APIGuildMember,
	APIGuildMemberNoUser,
	APIMessageInteractionMetadata,
	APIMessageTopLevelComponent,
	APIRole,
	APIThreadChannel,
	APIUser,
	GatewayMessageCreateDispatchData,
} from 'discord-api-types/v10';
import { attachmentPayload } from './attachments.js';
import { pingsOf } from './mentions.js';
import { snowflakeTimestamp } from './snowflake.js';
import { interactionOfMessage } from './interaction-of-message.js';
import { guildOfChannel, type FakeGuildState, type FakeRole, type FakeState } from './state.js';
import type { FakeChannel, FakeUser, StoredMessage } from './types.js';

/** `number`, so that it fits every discord-api-types flag enum. */
export const NO_FLAGS: number = 0;

export type MessagePayload = GatewayMessageCreateDispatchData & { referenced_message?: MessagePayload | null };

export function userPayload(user: FakeUser): APIUser {
	return {
		id: user.id,
		username: user.username,
		discriminator: '0',
		global_name: user.globalName,
		avatar: null,
		public_flags: NO_FLAGS,
		...(user.bot ? { bot: true } : {}),
	};
}

export function memberNoUserPayload(guild: FakeGuildState, userId: string): APIGuildMemberNoUser {
	const member = guild.members.get(userId);
	return {
		roles: member?.roleIds ?? [],
		joined_at: member?.joinedAt ?? new Date(0).toISOString(),
		nick: null,
		avatar: null,
		premium_since: null,
		deaf: false,
		mute: false,
		flags: NO_FLAGS,
		pending: false,
		communication_disabled_until: null,
	};
}

export function memberPayload(guild: FakeGuildState, user: FakeUser): APIGuildMember {
	return { ...memberNoUserPayload(guild, user.id), user: userPayload(user) };
}

export function rolePayload(role: FakeRole): APIRole {
	return {
		id: role.id,
		name: role.name,
		// eslint-disable-next-line @typescript-eslint/no-deprecated -- Discord still sends it alongside `colors`.
		color: 0,
		colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
		hoist: false,
		icon: null,
		unicode_emoji: null,
		position: role.position,
		permissions: role.permissions.toString(),
		managed: false,
		mentionable: false,
		flags: NO_FLAGS,
	};
}

function lastMessageId(channel: FakeChannel): string | null {
	return channel.messages.findLast((message) => !message.deleted)?.id ?? null;
}

export function threadPayload(state: FakeState, channel: FakeChannel): APIThreadChannel {
	const createTimestamp = new Date(snowflakeTimestamp(channel.id)).toISOString();
	const type = channel.type === 12 ? ChannelType.PrivateThread : ChannelType.PublicThread;
	const count = channel.messages.filter((message) => !message.deleted).length;
	return {
		id: channel.id,
		type,
		guild_id: channel.guildId,
		parent_id: channel.parentId ?? channel.guildId,
		owner_id: channel.ownerId ?? state.bot.id,
		name: channel.name,
		last_message_id: lastMessageId(channel),
		message_count: count,
		total_message_sent: count,
		member_count: 1,
		rate_limit_per_user: 0,
		flags: NO_FLAGS,
		thread_metadata: {
			archived: channel.archived,
			auto_archive_duration: ThreadAutoArchiveDuration.OneDay,
			archive_timestamp: createTimestamp,
			locked: channel.locked,
			create_timestamp: createTimestamp,
			...(type === ChannelType.PrivateThread ? { invitable: true } : {}),
		},
	};
}

export function channelPayload(state: FakeState, channel: FakeChannel): APIChannel {
	if (channel.type === 10 || channel.type === 11 || channel.type === 12) return threadPayload(state, channel);
	const position = [...state.channels.values()]
		.filter((other) => other.parentId === undefined && other.guildId === channel.guildId)
		.indexOf(channel);
	const base = {
		id: channel.id,
		guild_id: channel.guildId,
		name: channel.name,
		position,
		permission_overwrites: channel.permissionOverwrites.map((overwrite) => ({
			id: overwrite.id,
			type: overwrite.type,
			allow: overwrite.allow.toString(),
			deny: overwrite.deny.toString(),
		})),
		parent_id: null,
		nsfw: false,
		topic: null,
		rate_limit_per_user: 0,
		flags: NO_FLAGS,
	};
	if (channel.type === 15) {
		return {
			...base,
			type: ChannelType.GuildForum,
			last_message_id: null,
			available_tags: [],
			default_reaction_emoji: null,
			default_sort_order: null,
			default_forum_layout: ForumLayoutType.NotSet,
		};
	}
	return { ...base, type: ChannelType.GuildText, last_message_id: lastMessageId(channel) };
}

function interactionFields(state: FakeState, message: StoredMessage): Partial<MessagePayload> {
	const interaction = interactionOfMessage(state, message);
	if (!interaction) return {};
	const base = {
		id: interaction.id,
		user: userPayload(interaction.user),
		authorizing_integration_owners: { 0: guildOfChannel(state, interaction.channelId).id },
		...(interaction.original && interaction.original !== message
			? { original_response_message_id: interaction.original.id }
			: {}),
	};
	const metadata: APIMessageInteractionMetadata =
		interaction.type === 3
			? { ...base, type: InteractionType.MessageComponent, interacted_message_id: interaction.message?.id ?? '' }
			: { ...base, type: InteractionType.ApplicationCommand };
	return { webhook_id: state.bot.id, application_id: state.bot.id, interaction_metadata: metadata };
}

/** A message as Discord serializes it; gateway payloads also carry `guild_id` and `member`. */
export function messagePayload(
	state: FakeState,
	message: StoredMessage,
	options: { gateway: boolean; nested?: boolean },
): MessagePayload {
	const pings = pingsOf(state, message);
	const guild = guildOfChannel(state, message.channelId);
	const withMember = (user: FakeUser): APIUser => ({
		...userPayload(user),
		...(options.gateway && guild.members.has(user.id) ? { member: memberNoUserPayload(guild, user.id) } : {}),
	});
	const referenced = message.messageReference ? state.messages.get(message.messageReference.messageId) : undefined;
	const payload: MessagePayload = {
		id: message.id,
		channel_id: message.channelId,
		author: userPayload(message.author),
		content: message.content,
		timestamp: new Date(message.createdAt).toISOString(),
		edited_timestamp: message.editedAt === undefined ? null : new Date(message.editedAt).toISOString(),
		tts: false,
		mention_everyone: pings.everyone,
		mentions: pings.users.flatMap((id) => {
			const user = state.users.get(id);
			return user ? [withMember(user)] : [];
		}),
		mention_roles: pings.roles,
		attachments: message.attachments.map((attachment) => attachmentPayload(state, message.channelId, attachment)),
		embeds: message.embeds as APIEmbed[],
		components: message.components as APIMessageTopLevelComponent[],
		pinned: false,
		type: message.type,
		flags: message.flags,
		...interactionFields(state, message),
	};
	if (options.gateway) {
		payload.guild_id = guild.id;
		if (guild.members.has(message.author.id)) payload.member = memberNoUserPayload(guild, message.author.id);
	}
	if (message.messageReference) {
		payload.message_reference = {
			type: MessageReferenceType.Default,
			message_id: message.messageReference.messageId,
			channel_id: message.messageReference.channelId,
			guild_id: guildOfChannel(state, message.messageReference.channelId).id,
		};
		if (options.nested !== true) {
			payload.referenced_message = referenced ? messagePayload(state, referenced, { ...options, nested: true }) : null;
		}
	}
	return payload;
}
