import { describe, expect, it, vi } from 'vitest';
import type { RecordedGeminiRequest } from '../fakes/fake-gemini/index.js';
import { mention, turnsOf, waitForReplies } from '../support/conversation.js';
import { option, runCommand } from '../support/slash.js';
import type { TestBot } from '../support/start-test-bot.js';
import { useTestBot } from '../support/use-test-bot.js';

const start = useTestBot();

// The smallest budget the config takes, so that a few messages outgrow it. The
// default of 10 requests a minute would make these threads wait for the rate limit.
const SMALL_BUDGET = { CONTEXT_TOKEN_BUDGET: '1000', GEMINI_RPM: '1000' };
const SUMMARY_PREFIX = 'Earlier in this thread (a summary of the older messages):\n';

const isSummaryRequest = (request: RecordedGeminiRequest) =>
	request.systemInstruction?.includes('You keep the memory of a long Discord conversation') === true;
const requestText = (request: RecordedGeminiRequest) => request.contents.map((content) => content.text).join('\n');
/** A member's message of about 1,400 characters (~350 tokens), findable by its marker: three outgrow the budget. */
const longMessage = (marker: string) => `${marker} ${'words about the trip and the budget '.repeat(39)}`;

const summaryRequests = (t: TestBot) => t.gemini.requests.filter(isSummaryRequest);
const replyRequests = (t: TestBot) => t.gemini.requests.filter((request) => !isSummaryRequest(request));
const summaryOf = (t: TestBot, threadId: string) => t.bot.stores.summaries.summaryOf(threadId);
const waitForSummary = (t: TestBot, threadId: string, text: string) =>
	vi.waitFor(
		async () => {
			const summary = await summaryOf(t, threadId);
			if (summary?.summary !== text) throw new Error(`waiting for the summary "${text}"`);
			return summary;
		},
		{ timeout: 10_000, interval: 20 },
	);

/** Summaries answer SUMMARY ONE, TWO, ... in turn; replies answer "ok". */
function summariesInTurn(t: TestBot): void {
	const names = ['ONE', 'TWO', 'THREE', 'FOUR'];
	let made = 0;
	t.gemini.respondWith((request) =>
		isSummaryRequest(request)
			? { kind: 'reply', chunks: [`SUMMARY ${names[made++] ?? 'MORE'}`] }
			: { kind: 'reply', chunks: ['ok'] },
	);
}

/**
 * Alice writes long messages M{from}, M{from + 1}, ... in the thread until a reply's request leaves out `oldest`
 * (the budget cut it), then waits for the summary call that cut asks for. Returns the next message number.
 */
async function postUntilCut(t: TestBot, threadId: string, from: number, oldest: string): Promise<number> {
	const summariesBefore = summaryRequests(t).length;
	for (let next = from; next < from + 10; next += 1) {
		await t.discord.userSays(threadId, t.discord.users.alice, longMessage(`M${String(next).padStart(2, '0')}`));
		await waitForReplies(t, threadId, next + 1);
		if (!requestText(replyRequests(t).at(-1)!).includes(oldest)) {
			await vi.waitFor(
				() => {
					expect(summaryRequests(t)).toHaveLength(summariesBefore + 1);
				},
				{ timeout: 5_000 },
			);
			return next + 1;
		}
	}
	throw new Error(`no reply left out "${oldest}" after 10 messages`);
}

describe('a thread longer than CONTEXT_TOKEN_BUDGET', () => {
	it('folds its oldest turns into a summary after the reply that cut them, then sends summary and recent turns', async () => {
		const t = await start(SMALL_BUDGET);
		summariesInTurn(t);
		const { thread } = await mention(t, longMessage('M00'));
		await waitForReplies(t, thread.id, 1);
		const next = await postUntilCut(t, thread.id, 1, 'M00');

		// The reply that outgrew the budget went out at once, with the oldest turns cut and no summary yet.
		const cutReply = replyRequests(t).find((request) => !requestText(request).includes('M00'))!;
		expect(requestText(cutReply)).not.toContain('M00');
		expect(requestText(cutReply)).not.toContain(SUMMARY_PREFIX);
		expect(t.gemini.requests.indexOf(cutReply)).toBeLessThan(t.gemini.requests.indexOf(summaryRequests(t)[0]!));

		// One summary call, made from scratch out of the oldest turns, stored with the turn it covers.
		const [summaryRequest] = summaryRequests(t);
		expect(summaryRequests(t)).toHaveLength(1);
		expect(requestText(summaryRequest!)).toContain('Summary so far:\n(none yet');
		expect(requestText(summaryRequest!)).toContain('M00');
		const summary = await waitForSummary(t, thread.id, 'SUMMARY ONE');
		const turns = await turnsOf(t, thread.id);
		const folded = turns.filter((turn) => turn.exchangeId <= summary.throughTurnId);
		const kept = turns.filter((turn) => turn.exchangeId > summary.throughTurnId);
		// Whole exchanges, oldest first, leaving at least the newest exchange.
		expect(folded.length).toBeGreaterThanOrEqual(2);
		expect(folded.length % 2).toBe(0);
		expect(kept.length).toBeGreaterThanOrEqual(2);
		expect(summary.turnCount).toBe(folded.length);
		for (const turn of folded.filter((turn) => turn.role === 'user'))
			expect(requestText(summaryRequest!)).toContain(turn.content);

		// The next reply: summary first (in the first user content), then the recent turns, and fewer tokens.
		await t.discord.userSays(thread.id, t.discord.users.alice, 'and what did we decide first?');
		const turnsNow = await waitForReplies(t, thread.id, next + 1);
		const withSummary = replyRequests(t).at(-1)!;
		expect(withSummary.contents[0]!.text.startsWith(`${SUMMARY_PREFIX}SUMMARY ONE`)).toBe(true);
		for (const turn of folded.filter((turn) => turn.role === 'user'))
			expect(requestText(withSummary)).not.toContain(turn.content);
		for (const turn of kept.filter((turn) => turn.role === 'user'))
			expect(requestText(withSummary)).toContain(turn.content);
		expect(requestText(withSummary)).toContain('and what did we decide first?');
		const promptTokens = turnsNow.filter((turn) => turn.role === 'model').map((turn) => turn.usage.promptTokens!);
		expect(promptTokens.at(-1)).toBeLessThan(promptTokens.at(-2)!);

		// The summary call is in the usage ledger as such, charged to the member whose message overflowed.
		const kinds = await t.sql.rows<{ kind: string; user_id: string }>(
			'SELECT kind, user_id FROM usage_records ORDER BY id',
		);
		expect(kinds.filter((row) => row.kind === 'summary')).toEqual([
			{ kind: 'summary', user_id: t.discord.users.alice.id },
		]);
	});

	it('updates the summary from the previous one and only the newly folded turns on the next overflow', async () => {
		const t = await start(SMALL_BUDGET);
		summariesInTurn(t);
		const { thread } = await mention(t, longMessage('M00'));
		await waitForReplies(t, thread.id, 1);
		const next = await postUntilCut(t, thread.id, 1, 'M00');
		const first = await waitForSummary(t, thread.id, 'SUMMARY ONE');
		const oldestKept = (await turnsOf(t, thread.id)).find((turn) => turn.exchangeId > first.throughTurnId)!;
		await postUntilCut(t, thread.id, next, oldestKept.content.slice(0, 3));
		const second = await waitForSummary(t, thread.id, 'SUMMARY TWO');

		const text = requestText(summaryRequests(t)[1]!);
		expect(text).toContain('Summary so far:\nSUMMARY ONE');
		// Turns the first summary covers are never sent again.
		expect(text).not.toContain('M00');
		const turns = await turnsOf(t, thread.id);
		const folded = turns.filter(
			(turn) => turn.exchangeId > first.throughTurnId && turn.exchangeId <= second.throughTurnId,
		);
		expect(folded.length).toBeGreaterThan(0);
		for (const turn of folded.filter((turn) => turn.role === 'user')) expect(text).toContain(turn.content);
		expect(second.throughTurnId).toBeGreaterThan(first.throughTurnId);
		expect(second.turnCount).toBe(first.turnCount + folded.length);

		// /export keeps every turn and has the summary right after the last one it covers.
		const exported = await runCommand(t, { name: 'export', channelId: thread.id, user: t.discord.users.bob });
		expect(exported.content).toContain(`My summary of the ${second.turnCount} oldest messages`);
		const lines = exported.interaction
			.original!.attachments[0]!.data.toString('utf8')
			.trim()
			.split('\n')
			.map((line) => JSON.parse(line) as { role: string; text: string });
		expect(lines.filter((line) => line.role !== 'summary')).toHaveLength(turns.length);
		const at = lines.findIndex((line) => line.role === 'summary');
		expect(lines[at]!.text).toBe('SUMMARY TWO');
		expect(at).toBe(turns.findLastIndex((turn) => turn.exchangeId <= second.throughTurnId) + 1);
	});

	it('/reset drops the summary and /rewind past what it covers invalidates it', async () => {
		const t = await start(SMALL_BUDGET);
		summariesInTurn(t);
		const { thread } = await mention(t, longMessage('M00'));
		await waitForReplies(t, thread.id, 1);
		let next = await postUntilCut(t, thread.id, 1, 'M00');
		await waitForSummary(t, thread.id, 'SUMMARY ONE');

		// Rewinding the newest exchange leaves the summarized turns alone: the summary stays.
		await runCommand(t, { name: 'rewind', channelId: thread.id, user: t.discord.users.alice });
		expect((await summaryOf(t, thread.id))?.summary).toBe('SUMMARY ONE');
		// Rewinding into the summarized turns drops it, or it would bring them back.
		await runCommand(t, {
			name: 'rewind',
			channelId: thread.id,
			user: t.discord.users.alice,
			options: [option.integer('turns', 100)],
		});
		expect(await summaryOf(t, thread.id)).toBeUndefined();

		next = await postUntilCut(t, thread.id, next, `M${String(next).padStart(2, '0')}`);
		await waitForSummary(t, thread.id, 'SUMMARY TWO');
		expect(requestText(summaryRequests(t)[1]!)).toContain('Summary so far:\n(none yet');

		await runCommand(t, { name: 'reset', channelId: thread.id, user: t.discord.users.alice });
		expect(await summaryOf(t, thread.id)).toBeUndefined();
		await t.discord.userSays(thread.id, t.discord.users.alice, 'a fresh start');
		await waitForReplies(t, thread.id, next + 1);
		const afterReset = replyRequests(t).at(-1)!;
		expect(requestText(afterReset)).not.toContain(SUMMARY_PREFIX);
		expect(afterReset.contents.map((content) => content.text)).toEqual([
			expect.stringContaining('a fresh start') as string,
		]);
	});

	it('calibrates its token estimate to the promptTokenCount Gemini reports for the thread', async () => {
		const t = await start(SMALL_BUDGET);
		// This "Gemini" counts a token per 2 characters, where the bot starts by assuming 4.
		t.gemini.respondWith((request) => ({
			kind: 'reply',
			chunks: ['ok'],
			usage: {
				promptTokenCount: Math.ceil(((request.systemInstruction ?? '').length + requestText(request).length) / 2),
			},
		}));
		const { thread } = await mention(t, `FIRST ${'x'.repeat(900)}`);
		await waitForReplies(t, thread.id, 1);
		const session = (await t.bot.stores.sessions.getSession(thread.id))!;
		expect(session.charactersPerToken).toBeGreaterThan(1.7);
		expect(session.charactersPerToken).toBeLessThan(2.3);

		// Two 900-character messages fit 1,000 tokens at 4 characters per token, not at the calibrated 2.
		await t.discord.userSays(thread.id, t.discord.users.alice, `SECOND ${'y'.repeat(900)}`);
		await waitForReplies(t, thread.id, 2);
		const second = t.gemini.requests.filter((request) => !isSummaryRequest(request))[1]!;
		expect(requestText(second)).toContain('SECOND');
		expect(requestText(second)).not.toContain('FIRST');
	});
});

describe('summary calls and /settings', () => {
	it("take the channel's thinking setting, not its tools, temperature or length limit", async () => {
		const t = await start(SMALL_BUDGET);
		summariesInTurn(t);
		await runCommand(t, {
			name: 'settings',
			channelId: t.discord.textChannel.id,
			user: t.discord.users.moderator,
			options: [
				option.subcommand('set', [
					option.boolean('search', true),
					option.number('temperature', 1.5),
					option.integer('max_output_tokens', 50),
					option.string('thinking', 'off'),
				]),
			],
		});
		const { thread } = await mention(t, longMessage('M00'));
		await waitForReplies(t, thread.id, 1);
		await postUntilCut(t, thread.id, 1, 'M00');
		await waitForSummary(t, thread.id, 'SUMMARY ONE');
		const reply = replyRequests(t)[0]!;
		expect(reply.tools).toEqual([{ googleSearch: {} }]);
		expect(reply.generationConfig).toMatchObject({ temperature: 1.5, maxOutputTokens: 50 });
		const [fold] = summaryRequests(t);
		expect(fold!.tools).toEqual([]);
		expect(fold!.generationConfig).toEqual({ thinkingConfig: { thinkingBudget: 0 } });

		// /summarize in the thread: the same.
		t.gemini.respondWith(() => ({ kind: 'reply', chunks: ['The thread so far.'] }));
		const before = t.gemini.requests.length;
		await t.discord.slash({ name: 'summarize', channelId: thread.id, user: t.discord.users.bob });
		const [summarize] = (await t.gemini.waitForRequests(before + 1)).slice(before);
		expect(summarize!.tools).toEqual([]);
		expect(summarize!.generationConfig).toEqual({ thinkingConfig: { thinkingBudget: 0 } });
	});
});

describe('summary calls in the queue', () => {
	it('wait behind every live reply, even one asked later, and never hold a reply back', async () => {
		const t = await start({ ...SMALL_BUDGET, GEMINI_CONCURRENCY: '1' });
		const lastText = (request: RecordedGeminiRequest) => request.contents.at(-1)?.text ?? '';
		t.gemini.respondWith((request) => {
			if (isSummaryRequest(request)) return { kind: 'reply', chunks: ['SUMMARY ONE'] };
			// The overflowing reply and Bob's reply stream slowly, so that the others queue up meanwhile.
			if (lastText(request).includes('SECOND') || lastText(request).includes('BOB'))
				return { kind: 'reply', chunks: ['slow ', 'answer ', 'here'], chunkDelayMs: 300 };
			return { kind: 'reply', chunks: ['ok'] };
		});
		// ~600 tokens, then ~500: the second message's reply cuts the first, so it asks for a summary when done.
		const { thread } = await mention(t, `FIRST ${'a'.repeat(2_400)}`);
		await waitForReplies(t, thread.id, 1);
		await t.discord.userSays(thread.id, t.discord.users.alice, `SECOND ${'b'.repeat(2_000)}`);
		await t.gemini.waitForRequests(2);
		// Bob asks while that reply streams; the summary is queued when it ends, while Bob's reply streams.
		const bob = await mention(t, 'BOB asks something else', t.discord.users.bob);
		await t.gemini.waitForRequests(3);
		const carol = await mention(t, 'CAROL asks after the summary was queued', t.discord.users.alice);
		await waitForReplies(t, carol.thread.id, 1);
		await waitForSummary(t, thread.id, 'SUMMARY ONE');

		const order = t.gemini.requests.map((request) =>
			isSummaryRequest(request) ? 'summary' : /FIRST|SECOND|BOB|CAROL/.exec(lastText(request))?.[0],
		);
		expect(order).toEqual(['FIRST', 'SECOND', 'BOB', 'CAROL', 'summary']);
		expect((await turnsOf(t, bob.thread.id)).at(-1)?.content).toBe('slow answer here');
	});
});
