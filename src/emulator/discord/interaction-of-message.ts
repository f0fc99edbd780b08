import type { FakeState } from './state.js';
import type { FakeInteraction, StoredMessage } from './types.js';

/** The interaction a response or followup message answers, by its token. */
export function interactionOfMessage(state: FakeState, message: StoredMessage): FakeInteraction | undefined {
	if (message.interactionToken === undefined) return undefined;
	return [...state.interactions.values()].find((entry) => entry.token === message.interactionToken);
}
