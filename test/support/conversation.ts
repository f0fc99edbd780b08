import { vi } from 'vitest';
import type { StoredTurn } from '../../src/domain/turn.js';
import type { FakeAttachmentInput } from '../../src/emulator/discord/index.js';
import type { TestBot } from './start-test-bot.js';

/** The thread's turns in conversation order: those still in the context, or all with `includeExcluded`. */
export function turnsOf(
	t: TestBot,
	threadId: string,
	options: { includeExcluded?: boolean } = {},
): Promise<StoredTurn[]> {
	return t.bot.stores.sessions.listTurns(threadId, options);
}

/** Waits until the thread holds `count` finished model turns (no longer 'streaming'); returns all turns. */
export async function waitForReplies(
	t: TestBot,
	threadId: string,
	count: number,
	timeout = 10_000,
): Promise<StoredTurn[]> {
	return vi.waitFor(
		async () => {
			const turns = await turnsOf(t, threadId, { includeExcluded: true });
			const finished = turns.filter((turn) => turn.role === 'model' && turn.status !== 'streaming');
			if (finished.length < count) throw new Error(`waiting for ${count} replies`);
			return turns;
		},
		{ timeout, interval: 20 },
	);
}

/** A member mentions the bot in #general; resolves with the message and the thread the bot started from it. */
export async function mention(
	t: TestBot,
	content: string,
	author = t.discord.users.alice,
	attachments?: FakeAttachmentInput[],
) {
	const message = await t.discord.userSays(
		t.discord.textChannel.id,
		author,
		`<@${t.discord.bot.id}> ${content}`,
		attachments ? { attachments } : {},
	);
	const thread = await t.discord.waitFor(() => t.discord.channel(message.id), {
		description: 'thread started from the mention',
	});
	return { message, thread };
}

/** The bot's message creates and edits in channels (not interaction webhooks). */
export function botMessageWrites(t: TestBot) {
	return t.discord.requests.filter(
		(request) =>
			/^\/channels\/\d+\/messages(\/\d+)?$/.test(request.path) &&
			(request.method === 'POST' || request.method === 'PATCH'),
	);
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the bot posted in a channel or thread, oldest first. */
export function botContents(t: TestBot, channelId: string): string[] {
	return t.discord
		.messagesIn(channelId)
		.filter((message) => message.author.id === t.discord.bot.id)
		.map((message) => message.content);
}
