/** What paging needs of a Discord message. */
export type HistoryMessage = { readonly id: string; readonly createdTimestamp: number };

export type HistoryBounds = {
	/** Only messages older than this snowflake, such as the command's own id. */
	readonly before: string;
	/** At most this many messages. */
	readonly limit: number;
	/** Only messages sent at or after this time, epoch ms. */
	readonly since: number | undefined;
};

export type History<M> = {
	/** Oldest first. */
	readonly messages: M[];
	/** Stopped at `limit` although older messages within `since` may exist. */
	readonly reachedLimit: boolean;
};

/** Discord's maximum per request. */
export const PAGE_SIZE = 100;

/**
 * Pages back through a channel's history, newest first as Discord serves it, until `limit`, `since` or the
 * start of the channel; returns the messages oldest first.
 */
export async function fetchHistory<M extends HistoryMessage>(
	fetchPage: (options: { limit: number; before: string }) => Promise<Iterable<M>>,
	bounds: HistoryBounds,
): Promise<History<M>> {
	const newestFirst: M[] = [];
	let before = bounds.before;
	for (;;) {
		const limit = Math.min(PAGE_SIZE, bounds.limit - newestFirst.length);
		const page = [...(await fetchPage({ limit, before }))].sort(newerFirst);
		for (const message of page) {
			if (bounds.since !== undefined && message.createdTimestamp < bounds.since) {
				return { messages: newestFirst.reverse(), reachedLimit: false };
			}
			newestFirst.push(message);
		}
		const oldest = page.at(-1);
		if (!oldest || page.length < limit) return { messages: newestFirst.reverse(), reachedLimit: false };
		if (newestFirst.length >= bounds.limit) return { messages: newestFirst.reverse(), reachedLimit: true };
		before = oldest.id;
	}
}

function newerFirst(a: HistoryMessage, b: HistoryMessage): number {
	const difference = BigInt(b.id) - BigInt(a.id);
	return difference > 0n ? 1 : difference < 0n ? -1 : 0;
}
