import type { FakeAttachmentInput, FakeInteraction, FakeUser } from '../../src/emulator/discord/index.js';
import type { TestBot } from './start-test-bot.js';

type SlashOptions = {
	name: string;
	options?: unknown[];
	channelId: string;
	user: FakeUser;
	attachments?: FakeAttachmentInput[];
	/** The member's permissions in the channel, instead of what the fake computes. */
	permissions?: bigint;
};

/** Wire-format helpers for command options. */
export const option = {
	string: (name: string, value: string) => ({ name, type: 3, value }),
	integer: (name: string, value: number) => ({ name, type: 4, value }),
	boolean: (name: string, value: boolean) => ({ name, type: 5, value }),
	number: (name: string, value: number) => ({ name, type: 10, value }),
	subcommand: (name: string, options: unknown[] = []) => ({ name, type: 1, options }),
};

/** Runs a slash command and waits for its first real answer (the deferred reply edited with content or files). */
export async function runCommand(
	t: TestBot,
	slash: SlashOptions,
): Promise<{ interaction: FakeInteraction; content: string }> {
	const interaction = await t.discord.slash(slash);
	const answer = await t.discord.waitFor(
		() => {
			const original = interaction.original;
			return original && (original.content !== '' || original.attachments.length > 0) ? original : undefined;
		},
		{ description: `an answer to /${slash.name}` },
	);
	return { interaction, content: answer.content };
}
