import { randomBytes } from 'node:crypto';
import {
	ApplicationCommandType,
	ComponentType,
	InteractionContextType,
	InteractionType,
	Locale,
} from 'discord-api-types/v10';
import type {
	APIApplicationCommandInteractionDataOption,
	APIChatInputApplicationCommandGuildInteraction,
	APIInteractionDataResolved,
	APIMessageComponentGuildInteraction,
} from 'discord-api-types/v10';
import {
	channelPayload,
	memberNoUserPayload,
	memberPayload,
	messagePayload,
	rolePayload,
	userPayload,
} from './payloads.js';
import { permissionsIn } from './permissions-in.js';
import { isRecord } from './responses.js';
import { uploadSlashAttachments } from './slash-attachments.js';
import { guildOfChannel, type FakeState } from './state.js';
import type { FakeChannel, FakeInteraction, FakeUser, SlashOptions } from './types.js';

const ATTACHMENT_SIZE_LIMIT = 8 * 1024 * 1024;

type SharedFields = Omit<APIChatInputApplicationCommandGuildInteraction, 'type' | 'data'>;

function requireChannel(state: FakeState, channelId: string): FakeChannel {
	const channel = state.channels.get(channelId);
	if (!channel) throw new Error(`fake-discord: unknown channel ${channelId}`);
	return channel;
}

function newInteraction(
	state: FakeState,
	fields: Pick<FakeInteraction, 'type' | 'channelId' | 'user' | 'message' | 'commandName'>,
): FakeInteraction {
	const id = state.ids.next();
	const interaction: FakeInteraction = {
		...fields,
		id,
		token: `fake-interaction.${id}.${randomBytes(24).toString('base64url')}`,
		callbacks: [],
		deferred: false,
		ephemeral: false,
		original: undefined,
		followups: [],
		acknowledgedAt: undefined,
		dispatchedAt: Date.now(),
		attachments: [],
	};
	state.interactions.set(id, interaction);
	return interaction;
}

function sharedFields(state: FakeState, interaction: FakeInteraction, permissions: bigint): SharedFields {
	const channel = requireChannel(state, interaction.channelId);
	const guild = guildOfChannel(state, channel.id);
	const appPermissions = permissionsIn(state, state.bot.id, channel.id).toString();
	return {
		id: interaction.id,
		application_id: state.bot.id,
		token: interaction.token,
		version: 1,
		guild_id: guild.id,
		guild: { id: guild.id, locale: Locale.EnglishUS, features: [] },
		// eslint-disable-next-line @typescript-eslint/no-deprecated -- Discord still sends it next to `channel`.
		channel_id: channel.id,
		channel: channelPayload(state, channel),
		member: { ...memberPayload(guild, interaction.user), permissions: permissions.toString() },
		app_permissions: appPermissions,
		locale: Locale.EnglishUS,
		guild_locale: Locale.EnglishUS,
		entitlements: [],
		authorizing_integration_owners: { 0: guild.id },
		context: InteractionContextType.Guild,
		attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
	};
}

/**
 * Fills `resolved` for user, channel, role and mentionable options, as Discord does: a resolved member's
 * `permissions` are theirs in the channel of the interaction, a resolved channel's are the invoking user's there.
 */
function resolveOptions(
	state: FakeState,
	context: { channelId: string; userId: string },
	options: unknown[],
	resolved: APIInteractionDataResolved,
): void {
	const guild = guildOfChannel(state, context.channelId);
	for (const option of options) {
		if (!isRecord(option)) continue;
		if (Array.isArray(option.options)) resolveOptions(state, context, option.options, resolved);
		const value = typeof option.value === 'string' ? option.value : '';
		const user = state.users.get(value);
		const role = guild.roles.find((entry) => entry.id === value);
		const channel = state.channels.get(value);
		const sameGuild = channel?.guildId === guild.id;
		if ((option.type === 6 || option.type === 9) && user) {
			(resolved.users ??= {})[value] = userPayload(user);
			if (guild.members.has(user.id)) {
				const permissions = permissionsIn(state, user.id, context.channelId).toString();
				(resolved.members ??= {})[value] = { ...memberNoUserPayload(guild, user.id), permissions };
			}
		}
		if ((option.type === 8 || option.type === 9) && role) (resolved.roles ??= {})[value] = rolePayload(role);
		if (option.type === 7 && channel && sameGuild) {
			const permissions = permissionsIn(state, context.userId, channel.id).toString();
			const resolvedChannel = { ...channelPayload(state, channel), name: channel.name, permissions };
			(resolved.channels ??= {})[value] = resolvedChannel;
		}
	}
}

export function dispatchSlash(state: FakeState, options: SlashOptions): FakeInteraction {
	requireChannel(state, options.channelId);
	const guildId = guildOfChannel(state, options.channelId).id;
	const registered = [...(state.commands.guild.get(guildId) ?? []), ...state.commands.global].find(
		(command) => isRecord(command) && command.name === options.name && (command.type ?? 1) === 1,
	);
	const commandId = isRecord(registered) && typeof registered.id === 'string' ? registered.id : state.ids.next();
	const interaction = newInteraction(state, {
		type: 2,
		channelId: options.channelId,
		user: options.user,
		message: undefined,
		commandName: options.name,
	});
	const uploads = uploadSlashAttachments(state, options.channelId, options.options ?? [], options.attachments ?? []);
	interaction.attachments = uploads.attachments;
	const resolved: APIInteractionDataResolved = uploads.attachments.length > 0 ? { attachments: uploads.resolved } : {};
	resolveOptions(state, { channelId: options.channelId, userId: options.user.id }, uploads.options, resolved);
	const permissions = options.permissions ?? permissionsIn(state, options.user.id, options.channelId);
	const payload: APIChatInputApplicationCommandGuildInteraction = {
		...sharedFields(state, interaction, permissions),
		type: InteractionType.ApplicationCommand,
		data: {
			id: commandId,
			name: options.name,
			type: ApplicationCommandType.ChatInput,
			...(isRecord(registered) && typeof registered.guild_id === 'string' ? { guild_id: registered.guild_id } : {}),
			...(options.options ? { options: uploads.options as APIApplicationCommandInteractionDataOption[] } : {}),
			...(Object.keys(resolved).length > 0 ? { resolved } : {}),
		},
	};
	state.dispatch('INTERACTION_CREATE', payload);
	return interaction;
}

function hasCustomId(components: unknown, customId: string): boolean {
	if (!Array.isArray(components)) return false;
	return components.some(
		(component) =>
			isRecord(component) &&
			(component.custom_id === customId ||
				hasCustomId(component.components, customId) ||
				(isRecord(component.accessory) && component.accessory.custom_id === customId)),
	);
}

export function dispatchButton(
	state: FakeState,
	options: { messageId: string; channelId: string; customId: string; user: FakeUser },
): FakeInteraction {
	const message = state.messages.get(options.messageId);
	if (!message || message.channelId !== options.channelId || message.deleted) {
		throw new Error(`fake-discord: unknown message ${options.messageId} in channel ${options.channelId}`);
	}
	if (!hasCustomId(message.components, options.customId)) {
		throw new Error(`fake-discord: message ${message.id} has no component with custom_id "${options.customId}"`);
	}
	const interaction = newInteraction(state, {
		type: 3,
		channelId: options.channelId,
		user: options.user,
		message,
		commandName: undefined,
	});
	const permissions = permissionsIn(state, options.user.id, options.channelId);
	const payload: APIMessageComponentGuildInteraction = {
		...sharedFields(state, interaction, permissions),
		type: InteractionType.MessageComponent,
		message: messagePayload(state, message, { gateway: false }),
		data: { custom_id: options.customId, component_type: ComponentType.Button },
	};
	state.dispatch('INTERACTION_CREATE', payload);
	return interaction;
}
