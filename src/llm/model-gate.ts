import { ModelError } from './model-error.js';

/**
 * Gemini counts requests per minute when they arrive, and arrival jitters by up to a few hundred ms after a call
 * starts (measured with `npm run bench`): the window is a second longer than a minute so that no minute at
 * Gemini's end ever sees more than the limit.
 */
export const RATE_WINDOW_MS = 61_000;

export type ModelLimits = {
	readonly requestsPerMinute: number;
	/** Models with their own requests per minute (an image model's quota is smaller). */
	readonly requestsPerMinuteOf?: Readonly<Record<string, number>>;
	/** Estimated prompt tokens plus observed output tokens per minute; undefined: no limit. */
	readonly tokensPerMinute: number | undefined;
};

export type HoldReason = 'rate-limited' | 'quota-exhausted';

/** Gemini's limits are per model: each model gets its own windows and its own hold after a 429. */
export type ModelGate = {
	/**
	 * Waits until one of `models` (in order of preference) may take a call of about `tokens`, and counts it there.
	 * Throws a 'quota-exhausted' ModelError at once when every model has used up its daily quota.
	 */
	admit(models: readonly string[], tokens: number, signal?: AbortSignal): Promise<string>;
	/** Counts tokens a call used beyond its estimate (its output), now. */
	charge(model: string, tokens: number): void;
	/** Starts nothing on `model` before `until` (epoch ms). */
	holdOff(model: string, until: number, reason: HoldReason): void;
	/** Why and until when `model` is held off, if it is. */
	heldOff(model: string): { until: number; reason: HoldReason } | undefined;
	/** When the next call could start on the first model of `models` that could take one, or undefined if now. */
	readyAt(models: readonly string[], tokens: number): number | undefined;
};

type Window = {
	starts: number[];
	tokens: { at: number; amount: number }[];
	hold?: { until: number; reason: HoldReason };
};

export function createModelGate(limits: ModelLimits, now: () => number = Date.now): ModelGate {
	const windows = new Map<string, Window>();
	const windowOf = (model: string): Window => {
		let window = windows.get(model);
		if (!window) windows.set(model, (window = { starts: [], tokens: [] }));
		const horizon = now() - RATE_WINDOW_MS;
		window.starts = window.starts.filter((at) => at > horizon);
		window.tokens = window.tokens.filter((entry) => entry.at > horizon);
		if (window.hold && window.hold.until <= now()) delete window.hold;
		return window;
	};
	/** When `model` can take a call of `tokens`: now (0 wait) or later. */
	const waitFor = (model: string, tokens: number): number => {
		const window = windowOf(model);
		const at = now();
		let ready = window.hold?.until ?? at;
		const perMinute = limits.requestsPerMinuteOf?.[model] ?? limits.requestsPerMinute;
		if (window.starts.length >= perMinute) {
			const oldest = window.starts[window.starts.length - perMinute] ?? at;
			ready = Math.max(ready, oldest + RATE_WINDOW_MS);
		}
		const budget = limits.tokensPerMinute;
		if (budget !== undefined && window.tokens.length > 0) {
			// A call larger than the whole budget still goes, alone in its window, instead of never.
			let used = window.tokens.reduce((sum, entry) => sum + entry.amount, 0);
			for (const entry of window.tokens) {
				if (used + tokens <= budget) break;
				used -= entry.amount;
				ready = Math.max(ready, entry.at + RATE_WINDOW_MS);
			}
		}
		return Math.max(0, ready - at);
	};
	const quotaGone = (model: string): boolean => windowOf(model).hold?.reason === 'quota-exhausted';

	const gate: ModelGate = {
		async admit(models, tokens, signal) {
			for (;;) {
				signal?.throwIfAborted();
				const usable = models.filter((model) => !quotaGone(model));
				if (usable.length === 0) {
					throw new ModelError('quota-exhausted', `Daily quota used up for ${models.join(', ')}`, {
						retryDelayMs: Math.max(0, (windowOf(models[0] ?? '').hold?.until ?? now()) - now()),
					});
				}
				const waits = usable.map((model) => ({ model, wait: waitFor(model, tokens) }));
				const free = waits.find((entry) => entry.wait === 0);
				if (free) {
					const window = windowOf(free.model);
					window.starts.push(now());
					window.tokens.push({ at: now(), amount: tokens });
					return free.model;
				}
				await sleep(Math.min(...waits.map((entry) => entry.wait)), signal);
			}
		},
		charge(model, tokens) {
			if (tokens > 0) windowOf(model).tokens.push({ at: now(), amount: tokens });
		},
		holdOff(model, until, reason) {
			const window = windowOf(model);
			if ((window.hold?.until ?? 0) < until) window.hold = { until, reason };
		},
		heldOff: (model) => windowOf(model).hold,
		readyAt(models, tokens) {
			const waits = models.filter((model) => !quotaGone(model)).map((model) => waitFor(model, tokens));
			const wait = waits.length === 0 ? 0 : Math.min(...waits);
			return wait === 0 ? undefined : now() + wait;
		},
	};
	return gate;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
	return new Promise((resolve, reject) => {
		const onAbort = (): void => {
			clearTimeout(timer);
			reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}
