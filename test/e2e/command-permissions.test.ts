import { PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { mention, waitForReplies } from '../support/conversation.js';
import { option, runCommand } from '../support/slash.js';
import type { TestBot } from '../support/start-test-bot.js';
import { useTestBot } from '../support/use-test-bot.js';

const start = useTestBot();

const MEMBER = 1;

/** A channel overwrite denying one member something, as a moderator would set it in Discord. */
function deny(t: TestBot, channelId: string, userId: string, permissions: bigint): void {
	t.discord.setPermissionOverwrite(channelId, { id: userId, type: MEMBER, deny: permissions });
}

describe("commands check the member's own permissions in the channel", () => {
	it('/chat: refused where the member may not post, and no thread quoting them is opened', async () => {
		const t = await start();
		const announcements = t.discord.addTextChannel('announcements');
		deny(t, announcements.id, t.discord.users.alice.id, PermissionFlagsBits.SendMessages);
		const { content } = await runCommand(t, {
			name: 'chat',
			channelId: announcements.id,
			user: t.discord.users.alice,
			options: [option.string('prompt', 'post this where I cannot write')],
		});
		expect(content).toBe('⚠️ You need the Send Messages permission in this channel to start a chat here.');
		expect(t.discord.threads).toEqual([]);
		expect(t.gemini.requests).toEqual([]);
	});

	it('/chat: refused without Create Public Threads', async () => {
		const t = await start();
		deny(t, t.discord.textChannel.id, t.discord.users.alice.id, PermissionFlagsBits.CreatePublicThreads);
		const { content } = await runCommand(t, {
			name: 'chat',
			channelId: t.discord.textChannel.id,
			user: t.discord.users.alice,
			options: [option.string('prompt', 'hello')],
		});
		expect(content).toBe('⚠️ You need the Create Public Threads permission in this channel to start a chat here.');
		expect(t.discord.threads).toEqual([]);
	});

	it('public /imagine and /summarize need Send Messages; private ones do not', async () => {
		const t = await start();
		const { thread } = await mention(t, 'something to summarize');
		await waitForReplies(t, thread.id, 1);
		const { bob } = t.discord.users;
		await t.discord.userSays(thread.id, bob, 'me too');
		await waitForReplies(t, thread.id, 2);
		// Bob may read the channel and its threads but not write in its threads.
		deny(t, t.discord.textChannel.id, bob.id, PermissionFlagsBits.SendMessagesInThreads);
		const publicSummary = await runCommand(t, {
			name: 'summarize',
			channelId: thread.id,
			user: bob,
			options: [option.boolean('public', true)],
		});
		expect(publicSummary.content).toBe(
			'⚠️ You need the Send Messages in Threads permission in this channel to post a summary of it here.',
		);
		const publicPicture = await runCommand(t, {
			name: 'imagine',
			channelId: thread.id,
			user: bob,
			options: [option.string('prompt', 'a cat'), option.boolean('public', true)],
		});
		expect(publicPicture.content).toBe(
			'⚠️ You need the Send Messages in Threads permission in this channel to post a picture here.',
		);
		const requestsBefore = t.gemini.requests.length;
		const privateSummary = await runCommand(t, { name: 'summarize', channelId: thread.id, user: bob });
		expect(privateSummary.content).not.toMatch(/^⚠️/);
		expect(t.gemini.requests).toHaveLength(requestsBefore + 1);
	});

	it('/export needs Read Message History, like /summarize', async () => {
		const t = await start();
		const { thread } = await mention(t, 'hello');
		await waitForReplies(t, thread.id, 1);
		deny(t, t.discord.textChannel.id, t.discord.users.bob.id, PermissionFlagsBits.ReadMessageHistory);
		const { interaction, content } = await runCommand(t, {
			name: 'export',
			channelId: thread.id,
			user: t.discord.users.bob,
		});
		expect(content).toBe('⚠️ You need the Read Message History permission in this channel to export its conversation.');
		expect(interaction.original?.attachments).toEqual([]);
	});

	it('/usage shows a channel moderator only the channels they can see; the whole server needs Manage Server', async () => {
		const t = await start();
		const secret = t.discord.addTextChannel('staff-only');
		t.discord.setPermissionOverwrite(secret.id, {
			id: t.discord.guild.id,
			type: 0,
			deny: PermissionFlagsBits.ViewChannel,
		});
		const record = (channelId: string, totalTokens: number) =>
			t.bot.stores.usage.record({
				guildId: t.discord.guild.id,
				channelId,
				userId: t.discord.users.alice.id,
				kind: 'reply',
				model: 'gemini-2.5-flash',
				usage: { promptTokens: totalTokens, outputTokens: 0, thoughtsTokens: undefined, totalTokens },
			});
		await record(t.discord.textChannel.id, 111);
		await record(secret.id, 999);

		const moderator = await runCommand(t, {
			name: 'usage',
			channelId: t.discord.textChannel.id,
			user: t.discord.users.moderator,
		});
		expect(moderator.content).toMatch(/^## Token usage in the channels you can see/);
		expect(moderator.content).toContain('**Last 24 hours**: 111 tokens');
		expect(moderator.content).not.toContain(secret.id);
		expect(moderator.content).not.toContain('999');

		const admin = await runCommand(t, {
			name: 'usage',
			channelId: t.discord.textChannel.id,
			user: t.discord.users.moderator,
			permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ManageChannels,
		});
		expect(admin.content).toMatch(/^## Token usage in this server/);
		expect(admin.content).toContain('**Last 24 hours**: 1,110 tokens');
		expect(admin.content).toContain(`<#${secret.id}>`);
	});
});
