/** Nearest-rank percentile (p in 0..100) of the values; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
	return sorted[rank - 1] ?? Number.NaN;
}

export type Summary = { n: number; p50: number; p95: number; min: number; max: number; mean: number };

export function summarize(values: readonly number[]): Summary {
	const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
	return {
		n: values.length,
		p50: percentile(values, 50),
		p95: percentile(values, 95),
		min: Math.min(...values),
		max: Math.max(...values),
		mean,
	};
}

/** Most timestamps within any span shorter than `windowMs` (same rule as the fake Discord's counter). */
export function maxInWindow(times: readonly number[], windowMs: number): number {
	const sorted = [...times].sort((a, b) => a - b);
	let best = 0;
	let start = 0;
	for (let end = 0; end < sorted.length; end += 1) {
		while ((sorted[end] ?? 0) - (sorted[start] ?? 0) >= windowMs) start += 1;
		best = Math.max(best, end - start + 1);
	}
	return best;
}

export const ms = (value: number): string => (Number.isFinite(value) ? `${Math.round(value)} ms` : 'n/a');
export const seconds = (value: number): string => `${(value / 1000).toFixed(2)} s`;

/** "p50 / p95 / max" of some durations. */
export function p50p95max(values: readonly number[]): string {
	const summary = summarize(values);
	return `${ms(summary.p50)} / ${ms(summary.p95)} / ${ms(summary.max)}`;
}

/** "min–max" of some counts. */
export const range = (values: readonly number[]): string => `${Math.min(...values)}–${Math.max(...values)}`;
