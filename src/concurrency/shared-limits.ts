/**
 * Limits every process of the bot keeps together (through Redis when there are several; in memory when there is
 * one). Each method is asynchronous, and each keeps working when the shared store is away: it then keeps a
 * conservative local share (the limit divided by the number of processes) until it is back.
 */

/** A model lane's limits (see llm/model-gate.ts): requests and tokens in any 61 s. */
export type LaneLimits = { readonly requestsPerMinute: number; readonly tokensPerMinute: number | undefined };

export type HoldReason = 'rate-limited' | 'quota-exhausted' | 'unavailable' | 'no-credit';
export type Hold = { readonly until: number; readonly reason: HoldReason };

/** Model lanes' request and token windows, and their hold-offs after a 429, for every process together. */
export type SharedLaneLimits = {
	/**
	 * Counts one call of about `tokens` on `lane` if the processes together stay within `limits` in any 61 s, and
	 * returns 0; otherwise returns how many ms until it might. `claim` is one call's place in line (an object the
	 * caller keeps for as long as it tries, on any lane).
	 */
	admit(claim: object, lane: string, tokens: number, limits: LaneLimits): Promise<number>;
	/** Counts tokens a call used beyond its estimate, now. */
	charge(lane: string, tokens: number, limits: LaneLimits): Promise<void>;
	/** Starts nothing on `lane`, in any process, before `until` (epoch ms); a later hold wins. */
	holdOff(lane: string, hold: Hold): Promise<void>;
	/** The holds in force on these lanes. */
	holds(lanes: readonly string[]): Promise<ReadonlyMap<string, Hold>>;
};

/** Counters with a ceiling (a member's calls waiting), for every process together. */
export type SharedCounters = {
	/** Adds one to `key` unless it is at `max` already; whether it did. */
	take(key: string, max: number): Promise<boolean>;
	/** Takes one back. */
	give(key: string): Promise<void>;
};

/** Running totals (tokens reserved by calls under way), for every process together. */
export type SharedTotals = {
	/** Adds `amount` (negative: takes it back) to `key`; its total now. Totals go after `ttlMs` without a change. */
	add(key: string, amount: number, ttlMs: number): Promise<number>;
	get(key: string): Promise<number>;
};

/** "Told once": whether this process is the first to ask for `key` within `ttlMs`. */
export type SharedOnce = { first(key: string, ttlMs: number): Promise<boolean> };

/** A fixed per-second budget (Discord's global requests for the bot token): 0 when taken, else ms to wait. */
export type SharedRate = { take(key: string, perSecond: number): Promise<number> };

/** Everything shared, and whether the store behind it answers (for /healthz). */
export type SharedLimits = {
	readonly lanes: SharedLaneLimits;
	readonly counters: SharedCounters;
	readonly totals: SharedTotals;
	readonly once: SharedOnce;
	readonly rate: SharedRate;
	/** 'local' (one process, memory), 'shared' (Redis answering) or 'degraded' (Redis away: local shares). */
	state(): 'local' | 'shared' | 'degraded';
	close(): Promise<void>;
};
