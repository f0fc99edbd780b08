import { describe, expect, it } from 'vitest';
import type { FakeInteraction } from '../../src/emulator/discord/index.js';
import { mention, waitForReplies } from '../support/conversation.js';
import { option, runCommand } from '../support/slash.js';
import type { TestBot } from '../support/start-test-bot.js';
import { useTestBot } from '../support/use-test-bot.js';

const start = useTestBot();

const PROMPT = 'what do the copper lighthouse keepers eat';
const REPLY_TEXT = 'Copper lighthouse keepers eat marmalade sandwiches at dawn.';
const PERSONA = 'You are a retired semaphore operator who speaks in flag signals.';
const INVALID_FORM_BODY = { status: 400, code: 50035, message: 'Invalid Form Body' };

type LogLine = { level: number; msg: string; err?: Record<string, unknown> };

const parsed = (t: TestBot): LogLine[] => t.logLines.map((line) => JSON.parse(line) as LogLine);

/** The warn-or-worse line `msg` that logged the failure; fails the test if there is none. */
function failureLine(t: TestBot, msg: string): LogLine {
	const line = parsed(t).find((entry) => entry.msg === msg && entry.level >= 40 && entry.err !== undefined);
	expect(line, `a "${msg}" line with err`).toBeDefined();
	return line!;
}

/** The token and, on its own, the random part after the fake's `fake-interaction.{id}.` prefix. */
const tokenParts = (interaction: FakeInteraction): string[] => [
	interaction.token,
	interaction.token.split('.').at(-1)!,
];

function expectNowhere(t: TestBot, secrets: readonly string[]): void {
	for (const secret of secrets) {
		const leaking = t.logLines.filter((line) => line.includes(secret));
		expect(leaking, `log lines containing ${JSON.stringify(secret)}`).toEqual([]);
	}
}

describe('what a failed Discord write leaves in the log', () => {
	it('GIVEN the first message of a streamed reply is refused THEN the log has the failure, not the reply or prompt', async () => {
		const t = await start();
		t.gemini.enqueue({ kind: 'reply', chunks: [REPLY_TEXT] });
		t.discord.failNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/ }, INVALID_FORM_BODY);
		const { thread } = await mention(t, PROMPT);
		await waitForReplies(t, thread.id, 1);

		const refused = t.discord.requests.find((request) => request.status === 400);
		expect(JSON.stringify(refused?.body)).toContain(REPLY_TEXT);
		const failure = failureLine(t, 'reply write failed');
		expectNowhere(t, [REPLY_TEXT, PROMPT, t.discord.token]);
		expect(failure.err).toMatchObject({
			type: 'DiscordAPIError',
			code: 50035,
			status: 400,
			method: 'POST',
			route: `/channels/${thread.id}/messages`,
			message: 'Invalid Form Body',
		});
	});

	it("GIVEN an interaction's reply is refused THEN the log has the failure but not the token or the reply", async () => {
		const t = await start();
		t.discord.failNext({ method: 'PATCH', path: /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/ }, INVALID_FORM_BODY);
		const { interaction, content } = await runCommand(t, {
			name: 'persona',
			options: [option.subcommand('set', [option.string('prompt', PERSONA)])],
			channelId: t.discord.textChannel.id,
			user: t.discord.users.moderator,
		});
		expect(content).toMatch(/^⚠️ Sorry, something went wrong/);

		const refused = t.discord.requests.find((request) => request.status === 400);
		expect(refused?.path).toContain(interaction.token);
		expect(JSON.stringify(refused?.body)).toContain(PERSONA);
		const failure = failureLine(t, 'interaction failed');
		expectNowhere(t, [...tokenParts(interaction), PERSONA, t.discord.token]);
		expect(failure.err).toMatchObject({
			type: 'DiscordAPIError',
			code: 50035,
			status: 400,
			method: 'PATCH',
			route: `/webhooks/${t.discord.applicationId}/:token/messages/@original`,
		});
	});

	it("GIVEN an interaction's acknowledgement is refused THEN the log has the failure but not the token", async () => {
		const t = await start();
		t.discord.failNext({ method: 'POST', path: /^\/interactions\/\d+\/[^/]+\/callback$/ }, INVALID_FORM_BODY);
		const { interaction } = await runCommand(t, {
			name: 'usage',
			channelId: t.discord.textChannel.id,
			user: t.discord.users.alice,
		});

		const failure = failureLine(t, 'interaction failed');
		expectNowhere(t, [...tokenParts(interaction), t.discord.token]);
		expect(failure.err).toMatchObject({
			type: 'DiscordAPIError',
			status: 400,
			method: 'POST',
			route: `/interactions/${interaction.id}/:token/callback`,
		});
	});
});
