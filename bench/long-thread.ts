import type { SqliteDatabase } from '../src/store/open-database.js';
import type { SessionStore } from '../src/store/session-store.js';

export const EXCHANGES = 2_500;
export const QUESTION_CHARS = [150, 250] as const;
export const ANSWER_CHARS = [1_200, 1_800] as const;
export const THREAD_ID = '1300000000000000001';
const WORDS = ['context', 'thread', 'reply', 'gemini', 'token', 'budget', 'turn', 'answer', 'question', 'member'];

/** `length` characters of prose, different for every `seed`. */
function prose(length: number, seed: number): string {
	let text = '';
	for (let word = seed; text.length < length; word += 7) text += `${WORDS[word % WORDS.length] ?? 'x'} `;
	return text.slice(0, length).trimEnd();
}

/** One thread of 2,500 answered questions, then the new question the reply is for; returns that question's id. */
export function fillThread(db: SqliteDatabase, store: SessionStore): number {
	const start = Date.now() - 30 * 86_400_000;
	store.ensureSession({ threadId: THREAD_ID, guildId: '1', parentChannelId: '2', creatorId: '3', owned: true });
	const spread = (range: readonly [number, number], index: number): number =>
		range[0] + ((index * 7_919) % (range[1] - range[0] + 1));
	db.transaction(() => {
		for (let index = 0; index < EXCHANGES; index += 1) {
			const question = store.appendUserTurn({
				threadId: THREAD_ID,
				authorId: String(10 + (index % 4)),
				authorName: `member${index % 4}`,
				content: prose(spread(QUESTION_CHARS, index), index),
				discordMessageId: `q${index}`,
				createdAt: start + index * 60_000,
			});
			if (!question) throw new Error('question not stored');
			store.appendModelTurn(
				{
					threadId: THREAD_ID,
					replyToId: question.id,
					authorId: '9',
					authorName: 'gemthread',
					model: 'gemini-2.5-flash',
				},
				{
					content: prose(spread(ANSWER_CHARS, index), index + 3),
					replyMessageIds: [`a${index}`],
					status: 'complete',
					finishReason: 'STOP',
					errorCode: undefined,
					model: 'gemini-2.5-flash',
					usage: { promptTokens: 1, outputTokens: 1, thoughtsTokens: undefined, totalTokens: 2 },
				},
			);
		}
	})();
	const last = store.appendUserTurn({
		threadId: THREAD_ID,
		authorId: '10',
		authorName: 'member0',
		content: prose(200, 1),
		discordMessageId: 'q-new',
	});
	if (!last) throw new Error('new question not stored');
	return last.id;
}
