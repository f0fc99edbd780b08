import type { ContextTurn } from '../domain/turn.js';
import type { ContextMedia } from '../chat/turn-parts.js';
import { turnParts } from '../chat/turn-parts.js';
import { estimateTokens } from '../chat/token-estimate.js';

/**
 * Where to fold a thread: reading its turns after the summary newest first, the recent ones that fit in
 * `keepTokens` stay as they are, and every exchange from the first that does not fit back to the summary is folded
 * into it. Returns the newest exchange id to fold, or undefined when the recent turns all fit. The newest exchange
 * (a question perhaps not answered yet) is never folded.
 */
export async function planFold(
	newestFirst: AsyncIterable<ContextTurn> | Iterable<ContextTurn>,
	options: { keepTokens: number; charactersPerToken: number | undefined; media: ContextMedia },
): Promise<number | undefined> {
	const inline = { turnsLeft: options.media.mediaTurns, bytesLeft: options.media.maxInlineBytes };
	let newestExchange: number | undefined;
	let kept = 0;
	for await (const turn of newestFirst) {
		newestExchange ??= turn.exchangeId;
		if (turn.role === 'model' && turn.discordMessageId === undefined) continue;
		const built = await turnParts(turn, options.media, inline);
		if (!built) continue;
		kept += estimateTokens(built.size, options.charactersPerToken);
		if (kept > options.keepTokens && turn.exchangeId !== newestExchange) return turn.exchangeId;
	}
	return undefined;
}
