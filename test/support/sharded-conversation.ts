import type { FakeGuildHandle, FakeUser } from '../../src/emulator/discord/index.js';
import type { ShardedWorld } from './start-sharded-world.js';

/** A member mentions the bot in the guild's channel; resolves with the thread the bot started. */
export async function ask(world: ShardedWorld, guild: FakeGuildHandle, user: FakeUser, text: string) {
	const message = await world.discord.userSays(guild.textChannel.id, user, `<@${world.discord.bot.id}> ${text}`);
	return world.discord.waitFor(() => world.discord.channel(message.id), {
		description: `the thread for "${text}"`,
		timeoutMs: 10_000,
	});
}

/** The bot's messages in a channel, oldest first. */
export const botLines = (world: ShardedWorld, channelId: string): string[] =>
	world.discord
		.messagesIn(channelId)
		.filter((message) => message.author.id === world.discord.bot.id)
		.map((message) => message.content);
