import type { StoredTurn } from '../domain/turn.js';
import { estimateTokens } from '../chat/token-estimate.js';

/**
 * The oldest whole exchanges of `turns` (in conversation order) whose text fits in `maxTokens`, so one summary call
 * stays within the budget even for a very long thread met for the first time; at least one exchange. Files count by
 * name only, as the summary request sends them.
 */
export function capFold(
	turns: readonly StoredTurn[],
	options: { maxTokens: number; charactersPerToken: number | undefined },
): { turns: StoredTurn[]; throughTurnId: number } | undefined {
	let spent = 0;
	let end = 0;
	while (end < turns.length) {
		const exchange = turns[end]?.exchangeId;
		let next = end;
		let tokens = 0;
		while (next < turns.length && turns[next]?.exchangeId === exchange) {
			const turn = turns[next];
			tokens += estimateTokens(
				{ characters: (turn?.content.length ?? 0) + 40, inlineFiles: 0 },
				options.charactersPerToken,
			);
			next += 1;
		}
		if (end > 0 && spent + tokens > options.maxTokens) break;
		spent += tokens;
		end = next;
	}
	const folded = turns.slice(0, end);
	const last = folded.at(-1);
	return last ? { turns: folded, throughTurnId: last.exchangeId } : undefined;
}
