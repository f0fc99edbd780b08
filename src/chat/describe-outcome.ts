import { nextPacificMidnight } from '../llm/pacific-midnight.js';
import type { ModelError, ModelErrorKind } from '../llm/model-error.js';
import type { ModelTurnStatus } from '../store/session-store.js';

export type ModelFinish = { finishReason: string | undefined; blockReason: string | undefined };

export type OutcomeDescription = {
	status: ModelTurnStatus;
	/** Shown under the reply (or instead of it) when it did not end normally. */
	note: string | undefined;
	errorCode: string | undefined;
};

const FAILURE_MESSAGES: Record<Exclude<ModelErrorKind, 'quota-exhausted'>, string> = {
	'rate-limited': 'Gemini is getting too many requests from this bot right now. Please try again in a minute.',
	unavailable: 'Gemini is overloaded or unavailable right now. Please try again in a few minutes.',
	network: 'The bot could not reach Gemini. Please try again shortly.',
	'bad-request': 'Gemini could not process this request. Try rephrasing your message, or start a new thread.',
	auth: "Gemini rejected the bot's API key. A server admin needs to check GEMINI_API_KEY.",
	'model-not-found': 'The configured Gemini model is not available. A server admin needs to check the model name.',
	timeout: 'Gemini took too long to answer. Please try again.',
	stopped: 'Stopped.',
	malformed: 'Gemini sent a reply the bot could not read. Please try again.',
	unknown: 'Something went wrong while talking to Gemini. Please try again.',
	shutdown: 'The bot is stopping.',
	gone: 'This thread is gone.',
	withdrawn: 'The question was deleted.',
	budget: "Today's token budget is used up.",
};

const INTERRUPTION_REASONS: Partial<Record<ModelErrorKind, string>> = {
	unavailable: 'Gemini became unavailable',
	network: 'the connection to Gemini was lost',
	timeout: 'Gemini stopped sending',
	'rate-limited': 'Gemini rate-limited the bot',
};

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
): OutcomeDescription {
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
			? `This answer is incomplete: ${INTERRUPTION_REASONS[kind] ?? 'something went wrong'}. Send a message to continue.`
			: FAILURE_MESSAGES[kind];
		return { status, note, errorCode: kind };
	}
	if (ending.blockReason !== undefined) {
		return {
			status: 'error',
			note: `Gemini declined to answer this message (blocked: ${ending.blockReason}). Try rephrasing it.`,
			errorCode: `blocked:${ending.blockReason}`,
		};
	}
	const reason = ending.finishReason;
	if (reason === 'STOP' && hasText) return { status: 'complete', note: undefined, errorCode: undefined };
	if (!hasText) {
		const why = reason === undefined || reason === 'STOP' ? '' : ` (${reason})`;
		return {
			status: 'error',
			note: `Gemini returned an empty answer${why}. Try rephrasing your message.`,
			errorCode: `empty:${reason ?? 'none'}`,
		};
	}
	if (reason === 'MAX_TOKENS') {
		return {
			status: 'partial',
			note: "The answer hit Gemini's length limit and was cut off.",
			errorCode: 'MAX_TOKENS',
		};
	}
	if (reason === undefined) {
		return { status: 'partial', note: 'Gemini ended this answer early; it may be incomplete.', errorCode: 'no-finish' };
	}
	return { status: 'partial', note: `Gemini stopped this answer early (${reason}).`, errorCode: reason };
}
