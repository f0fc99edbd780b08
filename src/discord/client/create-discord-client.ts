import { Client, GatewayIntentBits, Partials } from 'discord.js';

/** Model output must never ping anyone: no @everyone, roles or users, not even the author of a replied-to message. */
export const NO_MENTIONS = { parse: [], repliedUser: false } as const;

export function createDiscordClient(options: { apiBase: string | undefined }): Client {
	return new Client({
		// MessageContent is privileged: it must also be switched on in the Developer Portal (see README).
		intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
		// Edits and deletions of messages posted before a restart (not in the cache) still arrive, as partials.
		partials: [Partials.Message],
		// discord.js replaces its default with `undefined` if the key is present but empty.
		rest: options.apiBase === undefined ? {} : { api: options.apiBase },
		allowedMentions: { parse: [], repliedUser: false },
	});
}
