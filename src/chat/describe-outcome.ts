import { nextPacificMidnight } from '../llm/pacific-midnight.js';
import type { ModelError, ModelErrorKind } from '../llm/model-error.js';
import type { ModelTurnStatus } from '../domain/turn.js';
import type { ProviderLabel } from '../llm/providers/provider-label.js';
import { GEMINI_LABEL } from '../llm/providers/provider-label.js';

export type ModelFinish = { finishReason: string | undefined; blockReason: string | undefined };

export type OutcomeDescription = {
	status: ModelTurnStatus;
	/** Shown under the reply (or instead of it) when it did not end normally. */
	note: string | undefined;
	errorCode: string | undefined;
};

function failureMessage(kind: Exclude<ModelErrorKind, 'quota-exhausted'>, code: string | undefined, p: ProviderLabel) {
	const name = p.name;
	switch (kind) {
		case 'rate-limited':
			return `${name} is getting too many requests from this bot right now. Please try again in a minute.`;
		case 'unavailable':
			return `${name} is overloaded or unavailable right now. Please try again in a few minutes.`;
		case 'network':
			return `The bot could not reach ${name}. Please try again shortly.`;
		case 'bad-request':
			return code === 'context-too-long'
				? 'This conversation is too long for the model. Use /reset (or /rewind) and ask again.'
				: `${name} could not process this request. Try rephrasing your message, or start a new thread.`;
		case 'auth':
			return p.credentials === 'GEMINI_API_KEY'
				? "Gemini rejected the bot's API key. A server admin needs to check GEMINI_API_KEY."
				: `${name} rejected the bot's credentials. A server admin needs to check ${p.credentials}.`;
		case 'model-not-found':
			return `The configured ${name} model is not available. A server admin needs to check the model name.`;
		case 'no-credit':
			return `${name} says the bot's account has no credit left. A server admin needs to add some.`;
		case 'timeout':
			return `${name} took too long to answer. Please try again.`;
		case 'stopped':
			return 'Stopped.';
		case 'malformed':
			return `${name} sent a reply the bot could not read. Please try again.`;
		case 'unknown':
			return `Something went wrong while talking to ${name}. Please try again.`;
		case 'shutdown':
			return 'The bot is stopping.';
		case 'gone':
			return 'This thread is gone.';
		case 'withdrawn':
			return 'The question was deleted.';
		case 'budget':
			return "Today's token budget is used up.";
	}
}

function interruptionReason(kind: ModelErrorKind, name: string): string | undefined {
	if (kind === 'unavailable') return `${name} became unavailable`;
	if (kind === 'network') return `the connection to ${name} was lost`;
	if (kind === 'timeout') return `${name} stopped sending`;
	if (kind === 'rate-limited') return `${name} rate-limited the bot`;
	return undefined;
}

/** Where the daily quota resets, as Discord timestamps every reader sees in their own time zone. */
export function quotaNote(now: number): string {
	const reset = Math.round(nextPacificMidnight(now) / 1_000);
	return (
		`This bot has used up its Gemini quota for today. It resets at midnight Pacific time (<t:${reset}:t>, <t:${reset}:R>); ` +
		'a server admin can raise the limit in Google AI Studio.'
	);
}

/** How a reply ended, for the database and for the reader. */
export function describeOutcome(
	text: string,
	ending: ModelFinish | ModelError,
	now: number = Date.now(),
	provider: ProviderLabel = GEMINI_LABEL,
): OutcomeDescription {
	const name = provider.name;
	const hasText = text.trim() !== '';
	if (!('finishReason' in ending)) {
		const status = hasText ? 'partial' : 'error';
		const { kind } = ending;
		// The message names who or what ended the reply ("Stopped by Alice.").
		if (kind === 'stopped') return { status: 'partial', note: ending.message, errorCode: ending.code ?? 'stopped' };
		if (kind === 'shutdown') return { status, note: ending.message, errorCode: 'shutdown' };
		// The message says whose budget and when it resets.
		if (kind === 'budget') return { status: 'error', note: ending.message, errorCode: 'budget' };
		// Nobody can read a note there any more.
		if (kind === 'gone' || kind === 'withdrawn') return { status, note: undefined, errorCode: ending.code ?? kind };
		if (kind === 'quota-exhausted') {
			const note = hasText ? `This answer is incomplete: ${quotaNote(now)}` : quotaNote(now);
			return { status, note, errorCode: kind };
		}
		const note = hasText
			? `This answer is incomplete: ${interruptionReason(kind, name) ?? 'something went wrong'}. Send a message to continue.`
			: failureMessage(kind, ending.code, provider);
		return { status, note, errorCode: kind };
	}
	if (ending.blockReason !== undefined) {
		return {
			status: 'error',
			note: `${name} declined to answer this message (blocked: ${ending.blockReason}). Try rephrasing it.`,
			errorCode: `blocked:${ending.blockReason}`,
		};
	}
	const reason = ending.finishReason;
	if (reason === 'STOP' && hasText) return { status: 'complete', note: undefined, errorCode: undefined };
	if (!hasText) {
		const why = reason === undefined || reason === 'STOP' ? '' : ` (${reason})`;
		return {
			status: 'error',
			note: `${name} returned an empty answer${why}. Try rephrasing your message.`,
			errorCode: `empty:${reason ?? 'none'}`,
		};
	}
	if (reason === 'MAX_TOKENS') {
		return {
			status: 'partial',
			note: `The answer hit ${name}'s length limit and was cut off.`,
			errorCode: 'MAX_TOKENS',
		};
	}
	if (reason === undefined) {
		return {
			status: 'partial',
			note: `${name} ended this answer early; it may be incomplete.`,
			errorCode: 'no-finish',
		};
	}
	if (reason === 'CONTENT_FILTER') {
		return { status: 'partial', note: `${name}'s content filter stopped this answer.`, errorCode: reason };
	}
	return { status: 'partial', note: `${name} stopped this answer early (${reason}).`, errorCode: reason };
}
