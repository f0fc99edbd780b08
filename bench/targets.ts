/** One product target, checked against a measured value. */
export type Target = {
	/** What was measured and the limit, e.g. "(b) last chunk → complete text p50 ≤ 100 ms". */
	readonly label: string;
	readonly pass: boolean;
	/** The measured value as printed, e.g. "12 ms". */
	readonly value: string;
};

/** A target met when `value` is at most `limit` (a missing value, NaN, misses it). */
export function atMost(label: string, value: number, limit: number, format: (value: number) => string): Target {
	return { label, pass: Number.isFinite(value) && value <= limit, value: format(value) };
}

/** A target met when `value` is at least `limit` (a missing value, NaN, misses it). */
export function atLeast(label: string, value: number, limit: number, format: (value: number) => string): Target {
	return { label, pass: Number.isFinite(value) && value >= limit, value: format(value) };
}

/** "PASS …" or "MISS …", the line the bench prints for a target. */
export function targetLine(target: Target): string {
	return `${target.pass ? 'PASS' : 'MISS'} ${target.label}: ${target.value}`;
}
