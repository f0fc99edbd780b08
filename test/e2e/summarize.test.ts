import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_PERSONA } from '../../src/chat/build-prompt.js';
import type { FakeInteraction, FakeUser, RecordedRequest } from '../../src/emulator/discord/index.js';
import type { RecordedGeminiRequest } from '../fakes/fake-gemini/index.js';
import { mention, waitForReplies } from '../support/conversation.js';
import { option } from '../support/slash.js';
import type { TestBot } from '../support/start-test-bot.js';
import { useTestBot } from '../support/use-test-bot.js';

const start = useTestBot();

const MINUTE = 60_000;

/** `count` messages, alternately by Alice and Bob, one a minute, the newest half a minute old. */
function seedConversation(t: TestBot, channelId: string, count: number) {
	const { alice, bob } = t.discord.users;
	const now = Date.now();
	return t.discord.seedMessages(
		channelId,
		Array.from({ length: count }, (_, n) => ({
			author: n % 2 === 0 ? alice : bob,
			content: `message ${n}`,
			at: now - (count - n) * MINUTE + MINUTE / 2,
		})),
	);
}

async function summarize(
	t: TestBot,
	channelId: string,
	options: unknown[] = [],
	user: FakeUser = t.discord.users.alice,
): Promise<FakeInteraction> {
	return t.discord.slash({ name: 'summarize', options, channelId, user });
}

/** Waits until the reply reads `expected`: its final text, since it streams and may first show a progress line. */
async function finalReply(t: TestBot, interaction: FakeInteraction, expected: string | RegExp): Promise<string> {
	return t.discord.waitFor(
		() => {
			const content = interaction.original?.content ?? '';
			return (typeof expected === 'string' ? content === expected : expected.test(content)) && content;
		},
		{ description: `the reply ${String(expected)}`, timeoutMs: 10_000 },
	);
}

function historyRequests(t: TestBot, channelId: string): RecordedRequest[] {
	return t.discord.requests.filter(
		(request) => request.method === 'GET' && request.path === `/channels/${channelId}/messages`,
	);
}

/** The usage ledger, once it holds `count` rows (each is written after its call's final edit). */
async function usageRows(t: TestBot, count: number) {
	return vi.waitFor(
		async () => {
			const rows = await readUsageRows(t);
			if (rows.length < count) throw new Error(`waiting for ${count} usage rows`);
			return rows;
		},
		{ timeout: 5_000, interval: 20 },
	);
}

function readUsageRows(t: TestBot) {
	return t.sql.rows<{
		kind: string;
		channel_id: string;
		user_id: string;
		model: string;
		total_tokens: number;
	}>('SELECT kind, channel_id, user_id, model, total_tokens FROM usage_records ORDER BY id');
}

/** The message numbers in a transcript, in the order they appear. */
function messageNumbers(request: RecordedGeminiRequest | undefined): number[] {
	const text = request?.contents.map((content) => content.text).join('\n') ?? '';
	return [...text.matchAll(/: message (\d+)$/gm)].map((match) => Number(match[1]));
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, n) => from + n);

describe('/summarize in a channel', () => {
	it('pages back 100 at a time within `since`, sends the transcript oldest first and shows the answer', async () => {
		const t = await start();
		const seeded = seedConversation(t, t.discord.textChannel.id, 250);
		t.gemini.enqueue({ kind: 'reply', chunks: ['**Overview**: ', 'Alice and Bob counted.'] });
		const interaction = await summarize(t, t.discord.textChannel.id, [option.string('since', '2h')]);

		await finalReply(t, interaction, '**Overview**: Alice and Bob counted.');
		expect(interaction).toMatchObject({ deferred: true, ephemeral: true, followups: [] });
		const pages = historyRequests(t, t.discord.textChannel.id);
		expect(pages.map((request) => request.query)).toEqual([
			{ limit: '100', before: interaction.id },
			{ limit: '100', before: seeded[150]!.id },
		]);
		const [request, ...others] = t.gemini.requests;
		expect(others).toEqual([]);
		// Messages 130–249 are less than two hours old.
		expect(messageNumbers(request)).toEqual(range(130, 250));
		const firstLine = `[${new Date(seeded[130]!.createdAt).toISOString().slice(0, 16).replace('T', ' ')}] Alice: message 130`;
		expect(request!.contents[0]!.text).toContain(`\n${firstLine}\n`);
		expect(request!.contents[0]!.text).toContain('] Bob: message 131\n');
		expect(request!.systemInstruction).toContain(`server "${t.discord.guild.name}"`);
		expect(request!.systemInstruction).toContain('from #general');
		expect(request!.systemInstruction).toContain(`Today is ${new Date().toISOString().slice(0, 10)}`);
		expect(request!.systemInstruction).not.toContain(DEFAULT_PERSONA);
		const [row, ...otherRows] = await usageRows(t, 1);
		expect(otherRows).toEqual([]);
		expect(row).toMatchObject({
			kind: 'summary',
			channel_id: t.discord.textChannel.id,
			user_id: t.discord.users.alice.id,
			model: 'gemini-2.5-flash',
		});
		expect(row!.total_tokens).toBeGreaterThan(0);
	});

	it('reads the last 100 messages by default, in one page, and `messages` pages on to the number asked', async () => {
		const t = await start();
		const seeded = seedConversation(t, t.discord.textChannel.id, 180);
		t.gemini.enqueue({ kind: 'reply', chunks: ['One.'] }, { kind: 'reply', chunks: ['Two.'] });
		const first = await summarize(t, t.discord.textChannel.id);
		await finalReply(t, first, 'One.');
		// Its usage stored: the summary has ended, and the member may ask for the next one.
		await usageRows(t, 1);
		expect(messageNumbers(t.gemini.requests[0])).toEqual(range(80, 180));
		expect(historyRequests(t, t.discord.textChannel.id).map((request) => request.query.limit)).toEqual(['100']);

		const second = await summarize(t, t.discord.textChannel.id, [option.integer('messages', 150)]);
		await finalReply(t, second, 'Two.');
		expect(messageNumbers(t.gemini.requests[1])).toEqual(range(30, 180));
		expect(
			historyRequests(t, t.discord.textChannel.id)
				.slice(1)
				.map((request) => request.query),
		).toEqual([
			{ limit: '100', before: second.id },
			{ limit: '50', before: seeded[80]!.id },
		]);
	});

	it('when public, answers for everyone, names bots and leaves out its own earlier summaries', async () => {
		const t = await start();
		const { alice, otherBot } = t.discord.users;
		t.discord.seedMessages(t.discord.textChannel.id, [
			{ author: alice, content: 'Deploy is at https://example.com/deploy, ship on Friday?' },
			{ author: otherBot, content: 'Build #42 passed' },
		]);
		t.gemini.enqueue({ kind: 'reply', chunks: ['First summary.'] }, { kind: 'reply', chunks: ['Second summary.'] });
		const first = await summarize(t, t.discord.textChannel.id, [option.boolean('public', true)]);
		await finalReply(t, first, 'First summary.');
		await usageRows(t, 1);
		expect(first.ephemeral).toBe(false);
		expect(t.discord.messagesIn(t.discord.textChannel.id).at(-1)?.content).toBe('First summary.');

		await t.discord.userSays(t.discord.textChannel.id, t.discord.users.bob, 'Friday works for me');
		const second = await summarize(t, t.discord.textChannel.id, [option.boolean('public', true)]);
		await finalReply(t, second, 'Second summary.');
		const transcript = t.gemini.requests[1]!.contents[0]!.text;
		expect(transcript).toMatch(
			/\] Alice: Deploy is at https:\/\/example\.com\/deploy, ship on Friday\?\n.*\] otherbot \(bot\): Build #42 passed\n.*\] Bob: Friday works for me$/,
		);
		expect(transcript).not.toContain('First summary.');
	});
});

describe('/summarize of what the text alone does not show', () => {
	it('names replies, attachments and embeds, and resolves mentions to display names', async () => {
		const t = await start();
		const { alice, bob } = t.discord.users;
		const general = t.bot.client.channels.cache.get(t.discord.textChannel.id);
		if (!general?.isSendable()) throw new Error('#general is not cached');
		const question = await t.discord.userSays(general.id, alice, 'Where is the plan?');
		await general.send({
			content: 'Posted it',
			files: [{ attachment: Buffer.from('step 1'), name: 'plan.txt' }],
			embeds: [{ title: 'Release notes', url: 'https://example.com/notes', description: 'Version 2 ships.' }],
		});
		await t.discord.userSays(general.id, bob, `Thanks <@${alice.id}>`, { replyTo: question.id });
		t.gemini.enqueue({ kind: 'reply', chunks: ['Summary.'] });
		const interaction = await summarize(t, general.id);

		await finalReply(t, interaction, 'Summary.');
		const lines = t.gemini.requests[0]!.contents[0]!.text.split('\n').slice(2);
		expect(lines.map((line) => line.replace(/^\[[\d-]+ [\d:]+\] /, ''))).toEqual([
			'Alice: Where is the plan?',
			'Gemthread (bot): Posted it [file: plan.txt] [embed: Release notes — https://example.com/notes — Version 2 ships.]',
			'Bob (replying to Alice): Thanks @Alice',
		]);
	});

	it("summarizes a member's thread from Discord's history, counted under the parent channel", async () => {
		const t = await start();
		const thread = await t.discord.createThread({
			parentId: t.discord.textChannel.id,
			name: 'Trip planning',
			owner: t.discord.users.bob,
		});
		await t.discord.waitFor(() => t.bot.client.channels.cache.has(thread.id), { description: 'thread cached' });
		seedConversation(t, thread.id, 3);
		t.gemini.enqueue({ kind: 'reply', chunks: ['Trip summary.'] });
		const interaction = await summarize(t, thread.id);

		await finalReply(t, interaction, 'Trip summary.');
		expect(historyRequests(t, thread.id)).toHaveLength(1);
		expect(messageNumbers(t.gemini.requests[0])).toEqual([0, 1, 2]);
		expect(t.gemini.requests[0]!.systemInstruction).toContain('from a thread in #general');
		// Members chose the name: it goes with the transcript, never into the instructions.
		expect(t.gemini.requests[0]!.systemInstruction).not.toContain('Trip planning');
		expect(t.gemini.requests[0]!.contents[0]?.text).toMatch(/^\(The members named this thread "Trip planning"\.\)\n\n/);
		expect(t.gemini.requests[0]!.systemInstruction).not.toContain('AI assistant');
		expect((await usageRows(t, 1))[0]).toMatchObject({ channel_id: t.discord.textChannel.id });
	});

	it('says in a follow-up when `since` reached back further than the 1,000 messages it reads', async () => {
		const t = await start();
		const { alice } = t.discord.users;
		const now = Date.now();
		t.discord.seedMessages(
			t.discord.textChannel.id,
			Array.from({ length: 1_010 }, (_, n) => ({
				author: alice,
				content: `message ${n}`,
				at: now - (1_010 - n) * 1_000,
			})),
		);
		t.gemini.enqueue({ kind: 'reply', chunks: ['A busy hour.'] });
		const interaction = await summarize(t, t.discord.textChannel.id, [option.string('since', '1d')]);

		await finalReply(t, interaction, 'A busy hour.');
		await t.discord.waitFor(() => interaction.followups.length === 1, { description: 'the notice' });
		expect(interaction.followups[0]!.content).toBe(
			'ℹ️ I read only the newest 1,000 messages; older ones from the last 1d are not in this summary.',
		);
		expect(interaction.followups[0]!.flags & 64).toBe(64);
		expect(historyRequests(t, t.discord.textChannel.id)).toHaveLength(10);
		expect(messageNumbers(t.gemini.requests[0])).toEqual(range(10, 1_010));
	});
});

describe('/summarize in a bot thread', () => {
	it('summarizes the stored session with speakers and counts the tokens under the parent channel', async () => {
		const t = await start();
		t.gemini.enqueue({ kind: 'reply', chunks: ['Use a map.'] }, { kind: 'reply', chunks: ['Yes, it is O(1).'] });
		const { thread } = await mention(t, 'How do I look things up fast?');
		await waitForReplies(t, thread.id, 1);
		await t.discord.userSays(thread.id, t.discord.users.bob, 'Is that constant time?');
		await waitForReplies(t, thread.id, 2);
		const askedAt = Date.now();
		t.gemini.enqueue({ kind: 'reply', chunks: ['Alice asked about lookups; Gemthread suggested a map.'] });

		const interaction = await summarize(t, thread.id, [], t.discord.users.bob);
		await finalReply(t, interaction, 'Alice asked about lookups; Gemthread suggested a map.');
		const request = t.gemini.requests[2]!;
		const lines = request.contents[0]!.text.split('\n').slice(2);
		expect(lines.map((line) => line.replace(/^\[[\d-]+ [\d:]+\] /, ''))).toEqual([
			'Alice: How do I look things up fast?',
			'Gemthread (bot): Use a map.',
			'Bob: Is that constant time?',
			'Gemthread (bot): Yes, it is O(1).',
		]);
		expect(request.systemInstruction).toContain('from a thread in #general');
		expect(request.systemInstruction).toContain('a conversation with the AI assistant Gemthread');
		// The stored session, not Discord's history, is what gets summarized.
		expect(historyRequests(t, thread.id).filter((request) => request.at >= askedAt)).toEqual([]);
		expect((await usageRows(t, 3)).at(-1)).toMatchObject({
			kind: 'summary',
			channel_id: t.discord.textChannel.id,
			user_id: t.discord.users.bob.id,
		});
	});
});

describe('/summarize with a persona', () => {
	it("carries the persona in effect, the thread's own over its channel's", async () => {
		const t = await start();
		const { moderator } = t.discord.users;
		const setPersona = (channelId: string, prompt: string) =>
			t.discord.slash({
				name: 'persona',
				options: [option.subcommand('set', [option.string('prompt', prompt)])],
				channelId,
				user: moderator,
			});
		seedConversation(t, t.discord.textChannel.id, 3);
		const channelPersona = await setPersona(t.discord.textChannel.id, 'You are a pirate.');
		await t.discord.waitFor(() => channelPersona.original?.content, { description: 'persona set' });
		t.gemini.enqueue({ kind: 'reply', chunks: ['Arr, they chatted.'] });
		await finalReply(t, await summarize(t, t.discord.textChannel.id), 'Arr, they chatted.');
		expect(t.gemini.requests[0]?.systemInstruction).toMatch(
			/^You are a pirate\.\n\nYou summarize Discord conversations/,
		);

		const thread = await t.discord.createThread({
			parentId: t.discord.textChannel.id,
			name: 'plans',
			owner: t.discord.users.bob,
		});
		seedConversation(t, thread.id, 2);
		const threadPersona = await setPersona(thread.id, 'You are a poet.');
		await t.discord.waitFor(() => threadPersona.original?.content, { description: 'persona set' });
		t.gemini.enqueue({ kind: 'reply', chunks: ['Two voices met.'] });
		await finalReply(t, await summarize(t, thread.id), 'Two voices met.');
		expect(t.gemini.requests[1]?.systemInstruction).toMatch(/^You are a poet\./);
	});
});

describe('/summarize of a long stretch', () => {
	it('summarizes parts of SUMMARY_CHUNK_TOKENS in order, then combines their notes into the reply', async () => {
		const t = await start({ SUMMARY_CHUNK_TOKENS: '150' });
		seedConversation(t, t.discord.textChannel.id, 40);
		t.gemini.respondWith((request) => {
			const part = /^This is part (\d+) of \d+/m.exec(request.systemInstruction ?? '');
			return { kind: 'reply', chunks: [part ? `Notes on part ${part[1]}.` : 'The combined summary.'] };
		});
		const interaction = await summarize(t, t.discord.textChannel.id, [option.integer('messages', 40)]);

		await finalReply(t, interaction, 'The combined summary.');
		const requests = t.gemini.requests;
		const parts = requests.slice(0, -1);
		expect(parts.length).toBeGreaterThanOrEqual(3);
		for (const [index, request] of parts.entries()) {
			expect(request.contents[0]!.text).toMatch(new RegExp(`^Part ${index + 1} of ${parts.length} of the transcript:`));
			expect(request.contents[0]!.text.length).toBeLessThanOrEqual(150 * 4 + 60);
		}
		// Every message whole, in exactly one part, in order.
		expect(parts.flatMap(messageNumbers)).toEqual(range(0, 40));
		const combine = requests.at(-1)!;
		const notes = parts.map((_, index) => `### Part ${index + 1} of ${parts.length}\nNotes on part ${index + 1}.`);
		expect(combine.contents[0]!.text).toContain(notes.join('\n\n'));
		expect(combine.systemInstruction).toContain('Merge them into one summary');
		expect(interaction.original!.versions).toContain(`⏳ Summarizing part 2 of ${parts.length}…`);
		const rows = await usageRows(t, requests.length);
		expect(rows.map((row) => row.kind)).toEqual(requests.map(() => 'summary'));
	});

	it('stops at a failed part with a short visible error and no combine call', async () => {
		const t = await start({ SUMMARY_CHUNK_TOKENS: '150' });
		seedConversation(t, t.discord.textChannel.id, 40);
		t.gemini.enqueue({ kind: 'reply', chunks: ['Notes on part 1.'] }, { kind: 'http-error', status: 400 });
		const interaction = await summarize(t, t.discord.textChannel.id, [option.integer('messages', 40)]);

		await finalReply(
			t,
			interaction,
			/^⚠️ I could not summarize part 2 of \d+: Gemini could not process this request\./,
		);
		expect(interaction.followups).toEqual([]);
		expect(t.gemini.requests).toHaveLength(2);
		expect(await readUsageRows(t)).toHaveLength(1);
	});
});

describe('/summarize answers briefly without calling the model', () => {
	it('rejects a malformed `since`', async () => {
		const t = await start();
		seedConversation(t, t.discord.textChannel.id, 3);
		const interaction = await summarize(t, t.discord.textChannel.id, [option.string('since', 'yesterday')]);
		await finalReply(t, interaction, '⚠️ since must look like 30m, 2h or 3d (you wrote "yesterday").');
		expect(interaction.ephemeral).toBe(true);
		expect(historyRequests(t, t.discord.textChannel.id)).toEqual([]);
		expect(t.gemini.requests).toEqual([]);
	});

	it('says so when there is nothing to summarize, in an empty channel or outside `since`', async () => {
		const t = await start();
		const empty = t.discord.addTextChannel('empty');
		await t.discord.waitFor(() => t.bot.client.channels.cache.has(empty.id), { description: 'channel cached' });
		const first = await summarize(t, empty.id);
		await finalReply(t, first, 'There is nothing to summarize here yet.');

		t.discord.seedMessages(t.discord.textChannel.id, [
			{ author: t.discord.users.bob, content: 'old news', at: Date.now() - 3 * 60 * MINUTE },
		]);
		const second = await summarize(t, t.discord.textChannel.id, [option.string('since', '1h')]);
		await finalReply(t, second, 'Nothing was written here in the last 1h.');
		expect(t.gemini.requests).toEqual([]);
		expect(await readUsageRows(t)).toEqual([]);
	});

	it('shows a model failure in a single-part summary as a short error', async () => {
		const t = await start();
		seedConversation(t, t.discord.textChannel.id, 5);
		t.gemini.enqueue({ kind: 'per-day-429' });
		const interaction = await summarize(t, t.discord.textChannel.id);
		await finalReply(t, interaction, /^⚠️ This bot has used up its Gemini quota for today\./);
		expect(t.gemini.requests).toHaveLength(1);
	});
});
