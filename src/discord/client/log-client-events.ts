import type { Client } from 'discord.js';
import { Events, RESTEvents } from 'discord.js';
import type { Logger } from '../../log/logger.js';

/** What discord.js reports about the connection and Discord's rate limits, in the bot's log. */
export function logClientEvents(client: Client, logger: Logger): void {
	client.on(Events.Error, (error) => {
		logger.error({ err: error }, 'discord client error');
	});
	client.on(Events.ShardDisconnect, (event) => {
		logger.warn({ code: event.code }, 'gateway disconnected');
	});
	client.rest.on(RESTEvents.RateLimited, (info) => {
		logger.debug(
			{ route: info.route, retryAfter: info.retryAfter, global: info.global },
			'discord rate limit: waiting',
		);
	});
}
