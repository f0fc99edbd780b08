import { guildCreatePayload } from './guild-payload.js';
import { channelPayload, memberPayload, rolePayload, userPayload } from './payloads.js';
import { apiError, json, type RestRequest, type RestResponse, type RouteDefinition } from './responses.js';
import { isThread, type FakeGuildState, type FakeState } from './state.js';

/** What `GET /gateway/bot` answers: the recommended shards and the session start limit. */
export function gatewayBotPayload(state: FakeState, url: string): Record<string, unknown> {
	const { sharding } = state;
	return {
		url,
		shards: Math.max(sharding.recommendedShards, sharding.requiredShards ?? 1),
		session_start_limit: {
			total: sharding.sessionStartTotal,
			remaining: sharding.sessionStartRemaining,
			reset_after: sharding.sessionStartResetAfterMs,
			max_concurrency: sharding.maxConcurrency,
		},
	};
}

/** Login, identity and guild lookups (any guild the bot is in). */
export function miscRoutes(state: FakeState, gatewayUrl: () => string): RouteDefinition[] {
	const inGuild = (request: RestRequest, respond: (guild: FakeGuildState) => RestResponse): RestResponse => {
		const guild = state.guilds.get(request.params.guildId ?? '');
		return guild ? respond(guild) : apiError(404, 10004, 'Unknown Guild');
	};
	const botUser = { ...userPayload(state.bot), verified: true, mfa_enabled: false, flags: 0 };
	return [
		{
			method: 'GET',
			route: '/gateway/bot',
			auth: true,
			handler: () => json(gatewayBotPayload(state, gatewayUrl())),
		},
		{ method: 'GET', route: '/gateway', auth: false, handler: () => json({ url: gatewayUrl() }) },
		{ method: 'GET', route: '/users/@me', auth: true, handler: () => json(botUser) },
		{
			method: 'GET',
			route: '/applications/@me',
			auth: true,
			handler: () =>
				json({
					id: state.bot.id,
					name: state.bot.username,
					icon: null,
					description: '',
					summary: '',
					bot_public: true,
					bot_require_code_grant: false,
					verify_key: '0'.repeat(64),
					flags: 0,
					team: null,
					owner: userPayload(state.owner),
					bot: botUser,
					approximate_guild_count: state.guilds.size,
					install_params: { scopes: ['bot', 'applications.commands'], permissions: '0' },
				}),
		},
		{
			method: 'GET',
			route: '/users/:userId',
			auth: true,
			handler: (request) => {
				const user = state.users.get(request.params.userId ?? '');
				return user ? json(userPayload(user)) : apiError(404, 10013, 'Unknown User');
			},
		},
		{
			method: 'GET',
			route: '/guilds/:guildId',
			auth: true,
			handler: (request) => inGuild(request, (guild) => json(guildCreatePayload(state, guild))),
		},
		{
			method: 'GET',
			route: '/guilds/:guildId/channels',
			auth: true,
			handler: (request) =>
				inGuild(request, (guild) =>
					json(
						[...state.channels.values()]
							.filter((channel) => channel.guildId === guild.id && !isThread(channel))
							.map((channel) => channelPayload(state, channel)),
					),
				),
		},
		{
			method: 'GET',
			route: '/guilds/:guildId/roles',
			auth: true,
			handler: (request) => inGuild(request, (guild) => json(guild.roles.map(rolePayload))),
		},
		{
			method: 'GET',
			route: '/guilds/:guildId/members/:userId',
			auth: true,
			handler: (request) =>
				inGuild(request, (guild) => {
					const user = state.users.get(request.params.userId ?? '');
					return user && guild.members.has(user.id)
						? json(memberPayload(guild, user))
						: apiError(404, 10007, 'Unknown Member');
				}),
		},
	];
}
