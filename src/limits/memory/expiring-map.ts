const SWEEP_EVERY_MS = 60_000;

export type ExpiringEntry<V> = { readonly key: string; readonly value: V; readonly remainingMs: number };

/** A map whose entries go `ttlMs` after they were last set; the oldest go first beyond `max`. */
export type ExpiringMap<V> = {
	get(key: string): V | undefined;
	set(key: string, value: V, ttlMs: number): void;
	/** Every live entry, emptied. */
	drain(): ExpiringEntry<V>[];
};

export function createExpiringMap<V>(now: () => number, max = 100_000): ExpiringMap<V> {
	let entries = new Map<string, { value: V; expiresAt: number }>();
	let nextSweep = now() + SWEEP_EVERY_MS;
	// Keys asked once and never again would otherwise stay: look over all of them now and then.
	const sweep = (): void => {
		if (now() < nextSweep) return;
		nextSweep = now() + SWEEP_EVERY_MS;
		for (const [key, entry] of entries) if (entry.expiresAt <= now()) entries.delete(key);
	};
	return {
		get(key) {
			const entry = entries.get(key);
			if (entry && entry.expiresAt <= now()) entries.delete(key);
			return entries.get(key)?.value;
		},
		set(key, value, ttlMs) {
			sweep();
			entries.delete(key);
			entries.set(key, { value, expiresAt: now() + ttlMs });
			if (entries.size > max) entries.delete(entries.keys().next().value ?? key);
		},
		drain() {
			const live = [...entries].filter(([, entry]) => entry.expiresAt > now());
			entries = new Map();
			return live.map(([key, entry]) => ({ key, value: entry.value, remainingMs: entry.expiresAt - now() }));
		},
	};
}
