import type { HoldReason, SharedLaneLimits } from '../concurrency/shared-limits.js';
import { ModelError } from './model-error.js';

export type { HoldReason } from '../concurrency/shared-limits.js';

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
	/**
	 * Where a model's calls can run: its lanes, each with its own windows and hold-off (on Vertex AI, one per
	 * location, `model@location`). @default one lane per model, named after it
	 */
	readonly lanes?: ModelLanes;
};

/** A model's lanes, and back. */
export type ModelLanes = {
	of(model: string): readonly string[];
	modelOf(lane: string): string;
};

const ONE_LANE_PER_MODEL: ModelLanes = { of: (model) => [model], modelOf: (lane) => lane };

/**
 * Gemini's limits are per model (and on Vertex AI per location): each lane gets its own windows and its own hold
 * after a 429. Calls spread over a model's lanes, each starting at the next one in turn.
 */
export type ModelGate = {
	/**
	 * Waits until a lane of one of `models` (in order of preference) may take a call of about `tokens`, counts it
	 * there and returns the lane. Throws a 'quota-exhausted' ModelError at once when every lane has used up its daily
	 * quota.
	 */
	admit(models: readonly string[], tokens: number, signal?: AbortSignal): Promise<string>;
	/** Counts tokens a call used beyond its estimate (its output), now, on the lane it ran on. */
	charge(lane: string, tokens: number): void;
	/** Starts nothing on `lane` before `until` (epoch ms). */
	holdOff(lane: string, until: number, reason: HoldReason): void;
	/** Why and until when a lane, or a model (all its lanes), is held off, if it is. */
	heldOff(name: string): { until: number; reason: HoldReason } | undefined;
	/** Whether another lane of `lane`'s model is not held off (a call can move there at once). */
	otherLaneOpen(lane: string): boolean;
	/** When the next call could start on the first model of `models` that could take one, or undefined if now. */
	readyAt(models: readonly string[], tokens: number): number | undefined;
};

type Window = {
	starts: number[];
	tokens: { at: number; amount: number }[];
	hold?: { until: number; reason: HoldReason };
};

/**
 * With `shared`, every process of the bot counts its calls in the same windows and sees the others' hold-offs (the
 * local windows then only add this process's own view, never a looser one).
 */
export function createModelGate(
	limits: ModelLimits,
	now: () => number = Date.now,
	shared?: { readonly lanes: SharedLaneLimits; readonly onError: (error: unknown) => void },
): ModelGate {
	const lanes = limits.lanes ?? ONE_LANE_PER_MODEL;
	const windows = new Map<string, Window>();
	// Where each model's next call starts among its lanes, so that calls spread over them instead of piling on one.
	const turns = new Map<string, number>();
	const lanesInTurn = (model: string): readonly string[] => {
		const all = lanes.of(model);
		if (all.length < 2) return all;
		const turn = turns.get(model) ?? 0;
		return [...all.slice(turn % all.length), ...all.slice(0, turn % all.length)];
	};
	const nextTurn = (lane: string): void => {
		const model = lanes.modelOf(lane);
		const index = lanes.of(model).indexOf(lane);
		if (index !== -1) turns.set(model, index + 1);
	};
	const windowOf = (model: string): Window => {
		let window = windows.get(model);
		if (!window) windows.set(model, (window = { starts: [], tokens: [] }));
		const horizon = now() - RATE_WINDOW_MS;
		window.starts = window.starts.filter((at) => at > horizon);
		window.tokens = window.tokens.filter((entry) => entry.at > horizon);
		if (window.hold && window.hold.until <= now()) delete window.hold;
		return window;
	};
	/** When `lane` can take a call of `tokens`: now (0 wait) or later. */
	const waitFor = (lane: string, tokens: number): number => {
		const window = windowOf(lane);
		const at = now();
		let ready = window.hold?.until ?? at;
		const perMinute = limits.requestsPerMinuteOf?.[lanes.modelOf(lane)] ?? limits.requestsPerMinute;
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
	const limitsOf = (lane: string) => ({
		requestsPerMinute: limits.requestsPerMinuteOf?.[lanes.modelOf(lane)] ?? limits.requestsPerMinute,
		tokensPerMinute: limits.tokensPerMinute,
	});
	const holdLocally = (lane: string, until: number, reason: HoldReason): void => {
		const window = windowOf(lane);
		if ((window.hold?.until ?? 0) < until) window.hold = { until, reason };
	};
	/** The other processes' hold-offs on these models' lanes, taken in before choosing one. */
	const learnHolds = async (models: readonly string[]): Promise<void> => {
		if (!shared) return;
		const holds = await shared.lanes.holds(models.flatMap((model) => lanes.of(model))).catch((error: unknown) => {
			shared.onError(error);
			return new Map<string, { until: number; reason: HoldReason }>();
		});
		for (const [lane, hold] of holds) holdLocally(lane, hold.until, hold.reason);
	};
	/** 0 when the processes' shared windows took the call on `lane`, else how long until they might. */
	const admitShared = (claim: object, lane: string, tokens: number): Promise<number> =>
		shared ? shared.lanes.admit(claim, lane, tokens, limitsOf(lane)) : Promise.resolve(0);
	const quotaGone = (lane: string): boolean => windowOf(lane).hold?.reason === 'quota-exhausted';
	const usableLanes = (models: readonly string[]): string[] =>
		models.flatMap((model) => lanesInTurn(model)).filter((lane) => !quotaGone(lane));

	const gate: ModelGate = {
		async admit(models, tokens, signal) {
			// This call's place in the shared line, kept from one attempt to the next.
			const claim = {};
			for (;;) {
				signal?.throwIfAborted();
				// Without other processes nothing is awaited here: admission stays as immediate as it was.
				if (shared) await learnHolds(models);
				const usable = usableLanes(models);
				if (usable.length === 0) {
					const first = lanes.of(models[0] ?? '')[0] ?? '';
					throw new ModelError('quota-exhausted', `Daily quota used up for ${models.join(', ')}`, {
						retryDelayMs: Math.max(0, (windowOf(first).hold?.until ?? now()) - now()),
					});
				}
				const waits = usable.map((lane) => ({ lane, wait: waitFor(lane, tokens) }));
				for (const entry of waits.filter((candidate) => candidate.wait === 0)) {
					if (shared) entry.wait = await admitShared(claim, entry.lane, tokens);
					if (entry.wait > 0) continue;
					const window = windowOf(entry.lane);
					window.starts.push(now());
					window.tokens.push({ at: now(), amount: tokens });
					nextTurn(entry.lane);
					return entry.lane;
				}
				await sleep(Math.min(...waits.map((entry) => entry.wait)), signal);
			}
		},
		charge(lane, tokens) {
			if (tokens <= 0) return;
			windowOf(lane).tokens.push({ at: now(), amount: tokens });
			shared?.lanes.charge(lane, tokens, limitsOf(lane)).catch(shared.onError);
		},
		holdOff(lane, until, reason) {
			holdLocally(lane, until, reason);
			shared?.lanes.holdOff(lane, { until, reason }).catch(shared.onError);
		},
		heldOff(name) {
			const own = lanes.modelOf(name) === name ? lanes.of(name) : [name];
			// A model is held off only while every one of its lanes is; it is free again when the first one is.
			const holds = own.map((lane) => windowOf(lane).hold);
			if (holds.some((hold) => hold === undefined)) return undefined;
			return holds.reduce((soonest, hold) => (hold && soonest && hold.until < soonest.until ? hold : soonest));
		},
		otherLaneOpen(lane) {
			const siblings = lanes.of(lanes.modelOf(lane)).filter((other) => other !== lane);
			return siblings.some((other) => windowOf(other).hold === undefined);
		},
		readyAt(models, tokens) {
			const waits = usableLanes(models).map((lane) => waitFor(lane, tokens));
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
