import type { ModelError } from '../llm/model-error.js';
import type { HoldReason } from '../llm/model-gate.js';
import type { ModelQueue } from '../llm/model-queue.js';
import { nextPacificMidnight } from '../llm/pacific-midnight.js';
import { backoffMs, decideRetry } from '../llm/retry-policy.js';

// A daily quota is checked again this often: a server admin may raise the limit before midnight.
const QUOTA_RECHECK_MS = 10 * 60_000;
// A Vertex location that answered 429 without saying how long to wait, or that is overloaded, rests this long while
// its model's calls go to its other locations.
const LOCATION_HOLD_MS = 30_000;
const OVERLOADED_HOLD_MS = 10_000;

export type NextStep =
	| { readonly retry: false }
	| {
			readonly retry: true;
			/** How long until the next attempt can start, to tell the reader. */
			readonly delayMs: number;
			/** How long to wait here first: 0 when the queue itself holds the model off. */
			readonly waitMs: number;
			/** Why the call moves to another model, if it does. */
			readonly fallback: HoldReason | undefined;
	  };

/**
 * What follows a failed attempt. A 429 holds its model off in the queue (for Gemini's retry delay, or, for a daily
 * quota, until midnight Pacific) and moves the call to a fallback model that is not held off, at once; otherwise the
 * retry policy decides.
 */
export function afterFailure(
	deps: { readonly queue: ModelQueue; readonly maxAttempts: number; readonly random?: () => number },
	failed: { error: ModelError; model: string; models: readonly string[]; attempt: number; textShown: boolean },
): NextStep {
	const { error, attempt, textShown } = failed;
	// Another location of the same model takes the call at once: no wait, and no footer (the same model answers).
	if (!textShown && attempt < deps.maxAttempts && movesToOtherLane(error) && deps.queue.otherLaneOpen(failed.model)) {
		const rest = error.kind === 'rate-limited' ? (error.retryDelayMs ?? LOCATION_HOLD_MS) : OVERLOADED_HOLD_MS;
		deps.queue.holdOff(failed.model, Date.now() + rest, error.kind === 'rate-limited' ? 'rate-limited' : 'unavailable');
		return { retry: true, delayMs: 0, waitMs: 0, fallback: undefined };
	}
	const held = holdOff(deps, failed.model, error);
	if (held && failed.models.some((model) => deps.queue.heldOff(model) === undefined)) {
		const retry = attempt < deps.maxAttempts && !textShown;
		return retry ? { retry, delayMs: 0, waitMs: 0, fallback: held } : { retry: false };
	}
	const decision = decideRetry(error, attempt, textShown, {
		maxAttempts: deps.maxAttempts,
		...(deps.random ? { random: deps.random } : {}),
	});
	if (!decision.retry) return { retry: false };
	// After a 429 the gate waits out the hold; the reader is told how long either way.
	const { delayMs } = decision;
	return { retry: true, delayMs, waitMs: decision.pauseQueue ? 0 : delayMs, fallback: undefined };
}

function movesToOtherLane(error: ModelError): boolean {
	return error.kind === 'rate-limited' || error.kind === 'unavailable';
}

function holdOff(
	deps: { readonly queue: ModelQueue; readonly random?: () => number },
	model: string,
	error: ModelError,
): HoldReason | undefined {
	const now = Date.now();
	if (error.kind === 'quota-exhausted') {
		deps.queue.holdOff(model, Math.min(nextPacificMidnight(now), now + QUOTA_RECHECK_MS), 'quota-exhausted');
		return 'quota-exhausted';
	}
	if (error.kind === 'no-credit') {
		deps.queue.holdOff(model, now + QUOTA_RECHECK_MS, 'no-credit');
		return 'no-credit';
	}
	if (error.kind !== 'rate-limited') return undefined;
	deps.queue.holdOff(model, now + (error.retryDelayMs ?? backoffMs(1, deps.random)), 'rate-limited');
	return 'rate-limited';
}
