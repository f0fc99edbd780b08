import type { FakeDiscord } from '../emulator/discord/index.js';

/** Discord shows "… is typing" for up to 10 s after the request, or until that user's next message. */
const TYPING_MS = 10_000;
const TYPING_ROUTE = '/channels/:channelId/typing';

/** The channels where the bot is typing at `now`, from its typing requests (read newest first, back 10 s only). */
export function botTypingIn(discord: FakeDiscord, now: number): string[] {
	const since = new Map<string, number>();
	for (let index = discord.requests.length - 1; index >= 0; index -= 1) {
		const request = discord.requests[index];
		if (request === undefined || request.at < now - TYPING_MS) break;
		const channelId = request.path.split('/')[2];
		if (request.route !== TYPING_ROUTE || request.status !== 204 || channelId === undefined) continue;
		if (!since.has(channelId)) since.set(channelId, request.at);
	}
	return [...since]
		.filter(([channelId, at]) => {
			const last = discord.channel(channelId)?.messages.findLast((message) => message.author.id === discord.bot.id);
			return last === undefined || last.createdAt < at;
		})
		.map(([channelId]) => channelId);
}
