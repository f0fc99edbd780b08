export type CachedCheckOptions = {
	/** How long one outcome is served before the check runs again, in ms. @default 1_000 */
	readonly maxAgeMs?: number;
	/**
	 * The clock, in ms. Monotonic by default: with the wall clock, setting it back would serve a stale outcome for as
	 * long as it went back. @default performance.now
	 */
	readonly now?: () => number;
};

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/**
 * Runs `check` at most once per `maxAgeMs` and gives every call in between the same outcome, so that callers cannot
 * run it faster than that however often they call. A check that returns a promise is cached as that promise: callers
 * while it is pending share it. A check that throws is cached like a value, for the same `maxAgeMs` and no longer:
 * letting a failure through uncached would let every call run the check again, the very thing this bounds.
 */
export function createCachedCheck<T>(check: () => T, options: CachedCheckOptions = {}): () => T {
	const { maxAgeMs = 1_000, now = () => performance.now() } = options;
	let last: { at: number; outcome: Outcome<T> } | undefined;
	return () => {
		const at = now();
		if (last === undefined || at - last.at >= maxAgeMs) last = { at, outcome: run(check) };
		if (!last.outcome.ok) throw last.outcome.error;
		return last.outcome.value;
	};
}

function run<T>(check: () => T): Outcome<T> {
	try {
		return { ok: true, value: check() };
	} catch (error) {
		return { ok: false, error };
	}
}
