import type { StoredTurn } from '../../src/domain/turn.js';
import { NO_USAGE } from '../../src/domain/token-usage.js';

/** A stored turn for unit tests: a user turn by Alice unless `overrides` say otherwise. */
export function storedTurn(overrides: Partial<StoredTurn> & Pick<StoredTurn, 'id' | 'content'>): StoredTurn {
	const role = overrides.role ?? 'user';
	return {
		threadId: 't1',
		role,
		authorId: role === 'user' ? 'u1' : 'bot',
		authorName: role === 'user' ? 'Alice' : 'gemthread',
		discordMessageId: undefined,
		replyMessageIds: [],
		replyToId: undefined,
		status: role === 'model' ? 'complete' : undefined,
		finishReason: undefined,
		errorCode: undefined,
		model: undefined,
		usage: NO_USAGE,
		createdAt: 0,
		excludedAt: undefined,
		attachmentCount: 0,
		grounding: undefined,
		exchangeId: overrides.replyToId ?? overrides.id,
		...overrides,
	};
}
