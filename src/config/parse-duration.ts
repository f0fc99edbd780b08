import ms from 'ms';

// A number and a unit ("30m", "2h", "3 days"): `ms` would read a bare number as milliseconds.
const DURATION = /^\d+(?:\.\d+)?\s*[a-z]+$/i;

/** Milliseconds in a duration such as `30m`, `2h` or `3d`; undefined when the text is not a positive duration. */
export function parseDuration(text: string): number | undefined {
	const trimmed = text.trim();
	if (!DURATION.test(trimmed)) return undefined;
	const parsed = ms(trimmed as ms.StringValue) as number | undefined;
	return parsed !== undefined && Number.isFinite(parsed) && parsed > 0 ? parsed : undefined;
}
