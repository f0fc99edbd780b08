import type { TestBot } from '../test/support/start-test-bot.js';
import { joinParts } from '../src/reply/join-parts.js';
import { maxInWindow } from './stats.js';

/** What these functions read: the fake Discord of a test bot (or of a world of several bot processes). */
type OnFakeDiscord = Pick<TestBot, 'discord'>;

/** One successful message create (POST) or edit (PATCH) the bot made in a thread, as the fake Discord saw it. */
export type ThreadWrite = {
	readonly kind: 'create' | 'edit';
	readonly at: number;
	readonly messageId: string;
	readonly content: string;
	/** An edit that sent the content the message already had (its components may still have changed). */
	readonly contentUnchanged: boolean;
	/** An edit that changed nothing: same content and same components as the message already had. */
	readonly identical: boolean;
};

export type ThreadTimeline = {
	readonly writes: readonly ThreadWrite[];
	/** First write that showed any text (a status line such as "⏳ Waiting for my turn" counts). */
	readonly firstTextAt: number | undefined;
	/** First write that showed answer text: its content is a start of the expected text (status lines are not). */
	readonly firstAnswerAt: number | undefined;
	/** First write after which the thread's parts, joined, equal the expected text. */
	readonly completeAt: number | undefined;
	readonly lastWriteAt: number | undefined;
	/** The parts as the fake Discord stores them now, joined back into one text. */
	readonly finalText: string;
	readonly messageCount: number;
};

function componentsOf(body: unknown): string {
	const components = typeof body === 'object' && body !== null && 'components' in body ? body.components : undefined;
	return JSON.stringify(components ?? []);
}

function contentOf(body: unknown): string {
	if (typeof body === 'object' && body !== null && 'content' in body && typeof body.content === 'string') {
		return body.content;
	}
	return '';
}

/**
 * Replays the bot's message writes in a thread in the order the fake answered them. The k-th successful
 * create is the k-th bot message stored in the thread; edits name their message in the path.
 */
export function threadTimeline(t: OnFakeDiscord, threadId: string, expectedText: string): ThreadTimeline {
	const botMessages = t.discord.messagesIn(threadId).filter((message) => message.author.id === t.discord.bot.id);
	const createPath = `/channels/${threadId}/messages`;
	const editPrefix = `${createPath}/`;
	const relevant = t.discord.requests.filter(
		(request) =>
			(request.method === 'POST' && request.path === createPath) ||
			(request.method === 'PATCH' &&
				request.path.startsWith(editPrefix) &&
				/^\d+$/.test(request.path.slice(editPrefix.length))),
	);
	const shown = new Map<string, string>();
	const shownComponents = new Map<string, string>();
	const writes: ThreadWrite[] = [];
	let creates = 0;
	let firstTextAt: number | undefined;
	let firstAnswerAt: number | undefined;
	let completeAt: number | undefined;
	for (const request of relevant) {
		if (request.status < 200 || request.status >= 300) continue;
		const content = contentOf(request.body);
		const kind = request.method === 'POST' ? 'create' : 'edit';
		const messageId = kind === 'create' ? botMessages[creates]?.id : request.path.slice(editPrefix.length);
		if (messageId === undefined) throw new Error(`thread ${threadId}: a create with no stored message`);
		if (kind === 'create') creates += 1;
		const components = componentsOf(request.body);
		const contentUnchanged = kind === 'edit' && shown.get(messageId) === content;
		const identical = contentUnchanged && shownComponents.get(messageId) === components;
		shown.set(messageId, content);
		shownComponents.set(messageId, components);
		writes.push({ kind, at: request.at, messageId, content, contentUnchanged, identical });
		if (firstTextAt === undefined && content.trim() !== '') firstTextAt = request.at;
		if (firstAnswerAt === undefined && content.trim() !== '' && expectedText.startsWith(content.trimEnd())) {
			firstAnswerAt = request.at;
		}
		const parts = botMessages.filter((message) => shown.has(message.id)).map((message) => shown.get(message.id) ?? '');
		if (completeAt === undefined && joinParts(parts) === expectedText) completeAt = request.at;
	}
	return {
		writes,
		firstTextAt,
		firstAnswerAt,
		completeAt,
		lastWriteAt: writes.at(-1)?.at,
		finalText: joinParts(botMessages.map((message) => message.content)),
		messageCount: botMessages.length,
	};
}

/** "content-unchanged / identical" edit counts over some timelines. */
export function unchangedEdits(timelines: readonly ThreadTimeline[]): string {
	const writes = timelines.flatMap((timeline) => timeline.writes);
	return `${writes.filter((write) => write.contentUnchanged).length} / ${writes.filter((write) => write.identical).length}`;
}

/** When the bot asked for "typing…" in the thread (`POST /channels/:id/typing`), successful or not. */
export function typingTimes(t: OnFakeDiscord, threadId: string): number[] {
	const path = `/channels/${threadId}/typing`;
	return t.discord.requests
		.filter((request) => request.method === 'POST' && request.path === path)
		.map((request) => request.at);
}

/** When the fake Discord created the thread started from message `threadId` in `channelId`. */
export function threadCreatedAt(t: OnFakeDiscord, channelId: string, threadId: string): number | undefined {
	const path = `/channels/${channelId}/messages/${threadId}/threads`;
	return t.discord.requests.find(
		(request) => request.method === 'POST' && request.path === path && request.status < 300,
	)?.at;
}

/**
 * Most successful creates and most successful edits the bot made in a thread within any `windowMs`: Discord (and
 * the fake) limit a channel's creates and its edits in separate buckets of 5 per 5 s.
 */
export function maxBucketWrites(
	t: OnFakeDiscord,
	threadId: string,
	windowMs: number,
): { creates: number; edits: number } {
	const times = (method: string): number[] =>
		t.discord.requests
			.filter(
				(request) =>
					request.method === method &&
					request.status < 300 &&
					request.path.startsWith(`/channels/${threadId}/messages`) &&
					!request.path.endsWith('/threads'),
			)
			.map((request) => request.at);
	return { creates: maxInWindow(times('POST'), windowMs), edits: maxInWindow(times('PATCH'), windowMs) };
}
