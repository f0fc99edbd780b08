import { describe, expect, it } from 'vitest';
import { useBotBehindProxy } from '../support/bot-behind-proxy.js';
import { mention, turnsOf, waitForReplies } from '../support/conversation.js';
import { POSTGRES_TESTS_RUN } from '../support/postgres.js';

const botBehindProxy = useBotBehindProxy();
const MESSAGES = 6;

// The store is asynchronous and PostgreSQL runs statements from several connections side by side: what keeps a
// thread's turns in Discord's order is the intake lock (discord/events/on-message.ts), tested here with every
// statement delayed at random on its way to the server.
describe.runIf(POSTGRES_TESTS_RUN)('messages racing in one thread on a slow database', () => {
	it(
		'stores them in Discord order, applies an edit sent right after, and answers each once, in order',
		{ timeout: 60_000 },
		async () => {
			const { t } = await botBehindProxy({ jitterMs: 15, env: { MODEL_CONCURRENCY: '4', USER_QUEUE_MAX: '10' } });
			const { thread } = await mention(t, 'start');
			await waitForReplies(t, thread.id, 1);
			const { alice } = t.discord.users;

			const sent = [];
			for (let index = 1; index <= MESSAGES; index += 1) {
				sent.push(await t.discord.userSays(thread.id, alice, `message ${index}`));
			}
			t.discord.userEdits(sent[2]!.id, 'message 3, edited');

			const turns = await waitForReplies(t, thread.id, MESSAGES + 1, 30_000);
			const questions = turns.filter((turn) => turn.role === 'user');
			expect(questions.map((turn) => turn.content)).toEqual([
				'start',
				'message 1',
				'message 2',
				'message 3, edited',
				'message 4',
				'message 5',
				'message 6',
			]);
			expect(questions.map((turn) => turn.discordMessageId)).toEqual([thread.id, ...sent.map((message) => message.id)]);
			// Each question answered once, right after it, and the answers asked in that order.
			expect(turns.map((turn) => turn.role)).toEqual(
				Array.from({ length: MESSAGES + 1 }, () => ['user', 'model']).flat(),
			);
			expect(turns.filter((turn) => turn.role === 'model').map((turn) => turn.replyToId)).toEqual(
				questions.map((turn) => turn.id),
			);
			const lastAsked = t.gemini.requests.map((request) => request.contents.at(-1)?.text);
			expect(lastAsked.slice(1).map((text) => /message (\d)/.exec(text ?? '')?.[1])).toEqual([
				'1',
				'2',
				'3',
				'4',
				'5',
				'6',
			]);
			expect(await turnsOf(t, thread.id)).toHaveLength(2 * (MESSAGES + 1));
		},
	);
});
