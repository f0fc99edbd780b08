import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startFakeDiscord } from '../../src/emulator/discord/index.js';
import { botContents, mention, waitForReplies } from '../support/conversation.js';
import { option, runCommand } from '../support/slash.js';
import type { TestBot } from '../support/start-test-bot.js';
import { startTestBot } from '../support/start-test-bot.js';
import { useTestBot } from '../support/use-test-bot.js';

const start = useTestBot();

const commandNames = (list: unknown[]) => list.map((command) => (command as { name: string }).name);

describe('slash command registration', () => {
	it('registers every command globally at start-up, and not again when nothing changed', async () => {
		const t = await start();
		expect(t.discord.commands.putCount).toBe(1);
		expect(commandNames(t.discord.commands.global)).toEqual(
			expect.arrayContaining(['chat', 'persona', 'stop', 'reset', 'rewind']),
		);
		const persona = t.discord.commands.global.find((command) => (command as { name: string }).name === 'persona');
		expect(persona).toMatchObject({ default_member_permissions: '16', contexts: [0] });

		await t.restart();
		expect(t.discord.commands.putCount).toBe(1);
	});

	it('registers in one server when DISCORD_GUILD_ID is set', async () => {
		const t = await start(({ discord }) => ({ DISCORD_GUILD_ID: discord.guild.id }));
		expect(t.discord.commands.global).toEqual([]);
		expect(commandNames(t.discord.commands.guild.get(t.discord.guild.id) ?? [])).toContain('chat');
	});

	it('re-registers on `npm run commands` even when nothing changed', async () => {
		const t = await start();
		const { stdout } = await promisify(execFile)(
			process.execPath,
			['--import', 'tsx', 'src/scripts/register-commands.ts'],
			{
				env: { ...process.env, ...t.environment, LOG_LEVEL: 'silent' },
			},
		);
		expect(stdout).toMatch(/^Registered \d+ commands globally/);
		expect(t.discord.commands.putCount).toBe(2);
		await t.restart();
		expect(t.discord.commands.putCount).toBe(2);
	});
});

describe('switching between server and global registration', () => {
	it('takes the commands out of the scope no longer used, both ways', async () => {
		const t = await start(({ discord }) => ({ DISCORD_GUILD_ID: discord.guild.id }));
		const { world } = t;
		const guildCommands = () => commandNames(t.discord.commands.guild.get(t.discord.guild.id) ?? []);
		expect(guildCommands()).toContain('chat');
		await t.bot.stop();

		const global = await startTestBot({}, world);
		await global.bot.stop();
		expect(commandNames(t.discord.commands.global)).toContain('chat');
		expect(guildCommands()).toEqual([]);

		const back = await startTestBot({ DISCORD_GUILD_ID: t.discord.guild.id }, world);
		await back.bot.stop();
		expect(guildCommands()).toContain('chat');
		expect(t.discord.commands.global).toEqual([]);
	});

	it('registers in a new server when the one used before is out of reach, and stops trying that one', async () => {
		const t = await start(({ discord }) => ({ DISCORD_GUILD_ID: discord.guild.id }));
		await t.bot.stop();
		const oldGuild = t.discord.guild.id;
		// Another application in another Discord: the old server is not one it can reach (403 Missing Access).
		const other = await startFakeDiscord();
		try {
			const moved = await startTestBot({ DISCORD_GUILD_ID: other.guild.id }, { ...t.world, discord: other });
			await moved.restart();
			await moved.bot.stop();
			expect(commandNames(other.commands.guild.get(other.guild.id) ?? [])).toContain('chat');
			const toOldGuild = other.requests.filter((request) => request.path.includes(`/guilds/${oldGuild}/`));
			expect(toOldGuild.map((request) => request.status)).toEqual([403]);
			expect(moved.logLines.join('')).not.toContain('slash command registration failed');
		} finally {
			await other.close();
		}
	});

	it('`npm run commands` needs only the Discord settings', async () => {
		const t = await start();
		const discordOnly = Object.fromEntries(
			Object.entries(t.environment).filter(([name]) => !name.startsWith('GEMINI_')),
		);
		const env = { PATH: process.env['PATH'] ?? '', ...discordOnly, LOG_LEVEL: 'silent' };
		const { stdout } = await promisify(execFile)(
			process.execPath,
			['--import', 'tsx', 'src/scripts/register-commands.ts'],
			{
				env,
			},
		);
		expect(stdout).toMatch(/^Registered \d+ commands globally/);
	});
});

describe('/chat', () => {
	it('creates a public thread named from the prompt, answers there, and links it in the acknowledgement', async () => {
		const t = await start();
		t.gemini.enqueue({ kind: 'reply', chunks: ['Why did the ', 'chicken cross the road?'] });
		const alice = t.discord.users.alice;
		const { interaction, content } = await runCommand(t, {
			name: 'chat',
			options: [option.string('prompt', 'Tell me a joke\nabout chickens')],
			channelId: t.discord.textChannel.id,
			user: alice,
		});
		const [thread] = t.discord.threads;
		expect(thread).toMatchObject({ name: 'Tell me a joke', type: 11, parentId: t.discord.textChannel.id });
		expect(content).toBe(`Your chat is in <#${thread!.id}>.`);
		expect(interaction.ephemeral).toBe(true);

		await waitForReplies(t, thread!.id, 1);
		expect(botContents(t, thread!.id)).toEqual([
			'**Alice** asked:\n> Tell me a joke\n> about chickens',
			'Why did the chicken cross the road?',
		]);
		expect(t.gemini.requests[0]?.contents).toEqual([{ role: 'user', text: 'Alice: Tell me a joke\nabout chickens' }]);

		t.gemini.enqueue({ kind: 'reply', chunks: ['To get to the other side.'] });
		await t.discord.userSays(thread!.id, t.discord.users.bob, 'why?');
		await waitForReplies(t, thread!.id, 2);
		expect(botContents(t, thread!.id).at(-1)).toBe('To get to the other side.');
	});

	it('explains itself when used inside a thread', async () => {
		const t = await start();
		const { thread } = await mention(t, 'hello');
		await waitForReplies(t, thread.id, 1);
		const { content } = await runCommand(t, {
			name: 'chat',
			options: [option.string('prompt', 'hi')],
			channelId: thread.id,
			user: t.discord.users.alice,
		});
		expect(content).toMatch(/^⚠️ Use \/chat in a text channel/);
		expect(t.discord.threads).toHaveLength(1);
	});
});

describe('/persona', () => {
	const setPersona = (t: TestBot, channelId: string, prompt: string, user = t.discord.users.moderator) =>
		runCommand(t, {
			name: 'persona',
			options: [option.subcommand('set', [option.string('prompt', prompt)])],
			channelId,
			user,
		});

	it('set by a moderator in a channel changes the system instruction of its existing and new threads', async () => {
		const t = await start();
		const { thread: existing } = await mention(t, 'before the persona');
		await waitForReplies(t, existing.id, 1);
		expect(t.gemini.requests[0]?.systemInstruction).not.toContain('pirate');

		const { content } = await setPersona(t, t.discord.textChannel.id, 'You are a pirate. Answer in pirate speak.');
		expect(content).toContain('every thread in this channel');

		await t.discord.userSays(existing.id, t.discord.users.alice, 'and now?');
		await waitForReplies(t, existing.id, 2);
		const { thread: fresh } = await mention(t, 'a new thread');
		await waitForReplies(t, fresh.id, 1);
		for (const request of t.gemini.requests.slice(1)) {
			expect(request.systemInstruction?.startsWith('You are a pirate. Answer in pirate speak.')).toBe(true);
			expect(request.systemInstruction).toContain('Discord');
		}
	});

	it('set inside a thread overrides the channel persona for that thread only', async () => {
		const t = await start();
		await setPersona(t, t.discord.textChannel.id, 'Channel persona.');
		const { thread: first } = await mention(t, 'first');
		const { thread: second } = await mention(t, 'second');
		await Promise.all([waitForReplies(t, first.id, 1), waitForReplies(t, second.id, 1)]);
		const { content } = await setPersona(t, first.id, 'Thread persona.');
		expect(content).toContain('this thread only');

		await t.discord.userSays(first.id, t.discord.users.alice, 'again');
		await t.discord.userSays(second.id, t.discord.users.alice, 'again');
		await Promise.all([waitForReplies(t, first.id, 2), waitForReplies(t, second.id, 2)]);
		const last = (threadId: string) =>
			t.gemini.requests
				.filter((request) => request.contents[0]?.text === `Alice: ${threadId === first.id ? 'first' : 'second'}`)
				.at(-1);
		expect(last(first.id)?.systemInstruction).toMatch(/^Thread persona\./);
		expect(last(second.id)?.systemInstruction).toMatch(/^Channel persona\./);

		const shown = await runCommand(t, {
			name: 'persona',
			options: [option.subcommand('show')],
			channelId: second.id,
			user: t.discord.users.moderator,
		});
		expect(shown.content).toContain(`inherited from <#${t.discord.textChannel.id}>`);
		expect(shown.content).toContain(`set by <@${t.discord.users.moderator.id}>`);
	});

	it('is refused for a member without Manage Channels, and nothing changes', async () => {
		const t = await start();
		const { content, interaction } = await setPersona(
			t,
			t.discord.textChannel.id,
			'Evil persona.',
			t.discord.users.alice,
		);
		expect(content).toBe('⚠️ You need the Manage Channels permission to use this command.');
		expect(interaction.ephemeral).toBe(true);
		const { thread } = await mention(t, 'hello');
		await waitForReplies(t, thread.id, 1);
		expect(t.gemini.requests[0]?.systemInstruction).not.toContain('Evil persona.');
	});

	it('rejects a persona over 4,000 characters with a clear message', async () => {
		const t = await start();
		const { content } = await setPersona(t, t.discord.textChannel.id, 'x'.repeat(4_001));
		expect(content).toBe('⚠️ That persona is 4001 characters long; the limit is 4000. Please shorten it.');
	});

	it('clear returns the channel to the default persona', async () => {
		const t = await start();
		await setPersona(t, t.discord.textChannel.id, 'Temporary persona.');
		const cleared = await runCommand(t, {
			name: 'persona',
			options: [option.subcommand('clear')],
			channelId: t.discord.textChannel.id,
			user: t.discord.users.moderator,
		});
		expect(cleared.content).toBe(`Persona cleared for <#${t.discord.textChannel.id}>.`);
		const shown = await runCommand(t, {
			name: 'persona',
			options: [option.subcommand('show')],
			channelId: t.discord.textChannel.id,
			user: t.discord.users.moderator,
		});
		expect(shown.content).toMatch(/^No persona is set for .*I use my default/);
	});
});
