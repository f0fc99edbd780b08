import { guildCreatePayload } from './guild-payload.js';
import { channelPayload, memberPayload, rolePayload, userPayload } from './payloads.js';
import { apiError, json, type RestRequest, type RestResponse, type RouteDefinition } from './responses.js';
import { isThread, type FakeState } from './state.js';

/** Login, identity and guild lookups. */
export function miscRoutes(state: FakeState, gatewayUrl: () => string): RouteDefinition[] {
	const inGuild = (request: RestRequest, respond: () => RestResponse): RestResponse =>
		request.params.guildId === state.guild.id ? respond() : apiError(404, 10004, 'Unknown Guild');
	const botUser = { ...userPayload(state.bot), verified: true, mfa_enabled: false, flags: 0 };
	return [
		{
			method: 'GET',
			route: '/gateway/bot',
			auth: true,
			handler: () =>
				json({
					url: gatewayUrl(),
					shards: 1,
					session_start_limit: { total: 1_000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
				}),
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
					approximate_guild_count: 1,
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
			handler: (request) => inGuild(request, () => json(guildCreatePayload(state))),
		},
		{
			method: 'GET',
			route: '/guilds/:guildId/channels',
			auth: true,
			handler: (request) =>
				inGuild(request, () =>
					json(
						[...state.channels.values()]
							.filter((channel) => !isThread(channel))
							.map((channel) => channelPayload(state, channel)),
					),
				),
		},
		{
			method: 'GET',
			route: '/guilds/:guildId/roles',
			auth: true,
			handler: (request) => inGuild(request, () => json(state.roles.map(rolePayload))),
		},
		{
			method: 'GET',
			route: '/guilds/:guildId/members/:userId',
			auth: true,
			handler: (request) =>
				inGuild(request, () => {
					const user = state.users.get(request.params.userId ?? '');
					return user && state.members.has(user.id)
						? json(memberPayload(state, user))
						: apiError(404, 10007, 'Unknown Member');
				}),
		},
	];
}
