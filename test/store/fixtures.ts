import type { ReplyEnding, StoredTurn } from '../../src/domain/turn.js';
import type { SessionStore } from '../../src/store/ports/session-store.js';

export const SESSION = { threadId: 't1', guildId: 'g1', parentChannelId: 'c1', creatorId: 'u1', owned: true };
export const USAGE = { promptTokens: 10, outputTokens: 5, thoughtsTokens: 2, totalTokens: 17 };

export const user = (id: string, content: string, authorName = 'Alice') => ({
	threadId: 't1',
	authorId: 'u1',
	authorName,
	content,
	discordMessageId: id,
});

export const author = (replyToId: number, threadId = 't1') => ({
	threadId,
	replyToId,
	authorId: 'bot',
	authorName: 'gemthread',
	model: 'gemini-2.5-flash',
});

export const ending = (replyToId: number, content: string, overrides: Partial<ReplyEnding> = {}): ReplyEnding => ({
	content,
	replyMessageIds: [`reply-${replyToId}`],
	status: 'complete',
	finishReason: 'STOP',
	errorCode: undefined,
	model: 'gemini-2.5-flash',
	usage: USAGE,
	...overrides,
});

export const answer = (store: SessionStore, replyToId: number, content: string, overrides: Partial<ReplyEnding> = {}) =>
	store.appendModelTurn(author(replyToId), ending(replyToId, content, overrides));

/** Stores a member's message; fails the test if it was not stored. */
export async function ask(store: SessionStore, id: string, content: string, authorName?: string): Promise<StoredTurn> {
	const turn = await store.appendUserTurn(user(id, content, authorName));
	if (!turn) throw new Error(`${id} was not stored`);
	return turn;
}

/** A thread with `exchanges` answered questions, in order; returns the questions. */
export async function conversation(store: SessionStore, exchanges: number): Promise<StoredTurn[]> {
	await store.ensureSession(SESSION);
	const questions: StoredTurn[] = [];
	for (let n = 0; n < exchanges; n += 1) {
		const question = await ask(store, `m${n}`, `question ${n}`);
		await answer(store, question.id, `answer ${n}`);
		questions.push(question);
	}
	return questions;
}

export const contents = (turns: readonly { content: string }[]) => turns.map((turn) => turn.content);
