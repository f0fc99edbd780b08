import { UserFacingError } from '../domain/user-facing-error.js';
import { parseDuration } from '../config/parse-duration.js';

/** The most messages one summary reads from Discord, and the `messages` option's maximum. */
export const MAX_MESSAGES = 1_000;

export type SummaryBounds = {
	/** At most this many messages; undefined when the member did not say. */
	readonly limit: number | undefined;
	/** Only messages sent at or after this time, epoch ms. */
	readonly since: number | undefined;
	/** `since` as the member wrote it ("2h"). */
	readonly sinceText: string | undefined;
};

/** Reads the /summarize options; a `since` that is not a duration is refused with an example of one. */
export function summaryBounds(options: { messages: number | null; since: string | null }, now: number): SummaryBounds {
	const limit = options.messages === null ? undefined : Math.min(Math.max(options.messages, 1), MAX_MESSAGES);
	const sinceText = options.since?.trim() || undefined;
	if (sinceText === undefined) return { limit, since: undefined, sinceText };
	const duration = parseDuration(sinceText);
	if (duration === undefined)
		throw new UserFacingError(`since must look like 30m, 2h or 3d (you wrote "${sinceText}").`);
	return { limit, since: now - duration, sinceText };
}
