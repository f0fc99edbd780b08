const PACIFIC = 'America/Los_Angeles';
const DAY_MS = 86_400_000;

/** The next midnight in Pacific time after `now` (epoch ms): when Gemini's per-day quotas reset. */
export function nextPacificMidnight(now: number): number {
	const today = pacificDate(now);
	const target = Date.UTC(today.year, today.month - 1, today.day + 1);
	// Wall-clock midnight minus the Pacific offset at that moment (PST or PDT), refined once for DST days.
	let guess = target - offsetMs(target);
	guess = target - offsetMs(guess);
	return guess > now ? guess : guess + DAY_MS;
}

function pacificDate(at: number): { year: number; month: number; day: number; hour: number; minute: number } {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone: PACIFIC,
		hourCycle: 'h23',
		year: 'numeric',
		month: 'numeric',
		day: 'numeric',
		hour: 'numeric',
		minute: 'numeric',
	}).formatToParts(at);
	const part = (type: string): number => Number(parts.find((entry) => entry.type === type)?.value);
	return { year: part('year'), month: part('month'), day: part('day'), hour: part('hour'), minute: part('minute') };
}

/** Pacific wall time minus UTC at `at`, in ms (negative: -8 h or -7 h). */
function offsetMs(at: number): number {
	const wall = pacificDate(at);
	const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
	return asUtc - Math.floor(at / 60_000) * 60_000;
}
