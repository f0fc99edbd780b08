/* eslint-disable @typescript-eslint/no-unsafe-enum-assignment -- Discord sends 0 for empty flag fields, which the
   discord-api-types flag enums have no member for; wire numbers from the fake's state are assigned as-is. */
import {
	ChannelType,
	GuildDefaultMessageNotifications,
	GuildExplicitContentFilter,
	GuildMFALevel,
	GuildNSFWLevel,
	GuildPremiumTier,
	GuildVerificationLevel,
	Locale,
} from 'discord-api-types/v10';
import type { GatewayGuildCreateDispatchData, GatewayReadyDispatchData } from 'discord-api-types/v10';
import { channelPayload, memberPayload, NO_FLAGS, rolePayload, threadPayload, userPayload } from './payloads.js';
import { snowflakeTimestamp } from './snowflake.js';
import { isThread, type FakeGuildState, type FakeState } from './state.js';

type GuildChannel = GatewayGuildCreateDispatchData['channels'][number];

/** READY of one shard: it lists (as unavailable) only the guilds of that shard, which GUILD_CREATEs then fill in. */
export function readyPayload(
	state: FakeState,
	session: { id: string; resumeUrl: string; shard: [number, number]; guilds: FakeGuildState[] },
): GatewayReadyDispatchData {
	return {
		v: 10,
		user: { ...userPayload(state.bot), verified: true, mfa_enabled: false, flags: NO_FLAGS },
		guilds: session.guilds.map((guild) => ({ id: guild.id, unavailable: true })),
		session_id: session.id,
		resume_gateway_url: session.resumeUrl,
		shard: session.shard,
		application: { id: state.bot.id, flags: NO_FLAGS, flags_new: '0' },
	};
}

/** A realistic GUILD_CREATE: roles, members, channels and every active (unarchived) thread. */
export function guildCreatePayload(state: FakeState, guild: FakeGuildState): GatewayGuildCreateDispatchData {
	const channels = [...state.channels.values()].filter((channel) => channel.guildId === guild.id);
	const members = [...guild.members.keys()].flatMap((userId) => {
		const user = state.users.get(userId);
		return user ? [memberPayload(guild, user)] : [];
	});
	const botMember = guild.members.get(state.bot.id);
	return {
		id: guild.id,
		name: guild.name,
		icon: null,
		splash: null,
		discovery_splash: null,
		banner: null,
		description: null,
		owner_id: guild.ownerId,
		afk_channel_id: null,
		afk_timeout: 300,
		verification_level: GuildVerificationLevel.None,
		default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
		explicit_content_filter: GuildExplicitContentFilter.Disabled,
		roles: guild.roles.map(rolePayload),
		emojis: [],
		stickers: [],
		features: [],
		mfa_level: GuildMFALevel.None,
		application_id: null,
		system_channel_id: null,
		system_channel_flags: NO_FLAGS,
		rules_channel_id: null,
		vanity_url_code: null,
		premium_tier: GuildPremiumTier.None,
		premium_subscription_count: 0,
		preferred_locale: Locale.EnglishUS,
		public_updates_channel_id: null,
		nsfw_level: GuildNSFWLevel.Default,
		premium_progress_bar_enabled: false,
		hub_type: null,
		safety_alerts_channel_id: null,
		incidents_data: null,
		max_members: 500_000,
		joined_at: botMember?.joinedAt ?? new Date(snowflakeTimestamp(guild.id)).toISOString(),
		large: false,
		unavailable: false,
		member_count: members.length,
		voice_states: [],
		members,
		channels: channels
			.filter((channel) => !isThread(channel))
			.map((channel) => channelPayload(state, channel) as GuildChannel),
		threads: channels
			.filter((channel) => isThread(channel) && !channel.archived)
			.map((channel) => {
				const thread = threadPayload(state, channel);
				return { ...thread, type: thread.type === ChannelType.PrivateThread ? thread.type : ChannelType.PublicThread };
			}),
		presences: [],
		stage_instances: [],
		guild_scheduled_events: [],
		soundboard_sounds: [],
	};
}
