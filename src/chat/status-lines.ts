import type { ModelError } from '../llm/model-error.js';
import type { HoldReason } from '../llm/model-gate.js';
import type { CallState } from '../llm/model-queue.js';

/** Shown while a reply waits: without it a member sees only "typing…" for up to a minute. */
export function waitingStatusLine(
	state: Exclude<CallState, { kind: 'running' }>,
	now: number,
	provider = 'Gemini',
): string {
	if (state.kind === 'rate-window') {
		const seconds = Math.max(1, Math.ceil((state.readyAt - now) / 1_000));
		return `⏳ Waiting for ${provider}'s per-minute limit (about ${seconds} s)…`;
	}
	const position = state.ahead > 0 ? ` (${state.ahead} ${state.ahead === 1 ? 'request' : 'requests'} ahead)` : '';
	return `⏳ Waiting for my turn${position} to stay within ${provider}'s rate limit…`;
}

export function writingStatusLine(provider = 'Gemini'): string {
	return `✍️ ${provider} is writing…`;
}

export function retryStatusLine(error: ModelError, delayMs: number, provider = 'Gemini'): string {
	const seconds = Math.max(1, Math.round(delayMs / 1_000));
	const cause = error.kind === 'rate-limited' ? `${provider} is busy` : `${provider} did not answer`;
	return `⏳ ${cause}; trying again in ${seconds} s…`;
}

/** The subtext line under a reply that a fallback model wrote instead of the channel's own. */
export function fallbackFooter(answeredBy: string, preferred: string, reason: HoldReason | undefined): string {
	const why =
		reason === 'quota-exhausted'
			? 'has used up its quota for today'
			: reason === 'rate-limited'
				? 'is rate-limited right now'
				: reason === 'unavailable'
					? 'is unavailable right now'
					: reason === 'no-credit'
						? 'has no credit left'
						: 'is at its per-minute limit';
	return `-# Answered by ${answeredBy}: ${preferred} ${why}.`;
}
