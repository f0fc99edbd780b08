/**
 * How urgent a Discord write is. `urgent`: a reply's first visible text and its final edit; `steady`: edits while
 * streaming; `idle`: typing indicators.
 */
export type WriteUrgency = 'urgent' | 'steady' | 'idle';

export type WriteLimit = { readonly limit: number; readonly windowMs: number };

export type WriteBudgetOptions = {
	/**
	 * Writes per bucket: a channel's message creates, or its edits (Discord: about 5 per 5 s each, undocumented and
	 * not advertised before it is hit).
	 */
	readonly perChannel: WriteLimit;
	/** Requests per bot (Discord: 50 per second). */
	readonly global: WriteLimit;
	/** Slots left to urgent writes: a steady edit takes a bucket slot only when more than this many are free. */
	readonly channelReserve: number;
	/** The same for the global limit; typing (idle) leaves twice as many. */
	readonly globalReserve: number;
	readonly now?: () => number;
};

/** Grants Discord writes within the channel and global limits, most urgent first. */
export type WriteBudget = {
	/**
	 * Resolves when the write may go; call the returned function once it is done (a slot counts from the moment
	 * the write finished, which is never earlier than Discord saw it). `bucket` (a channel's creates or its edits)
	 * undefined: the global limit only.
	 */
	acquire(bucket: string | undefined, urgency: WriteUrgency, signal?: AbortSignal): Promise<() => void>;
};

type Slots = { done: number[]; inFlight: number };
type Waiter = { bucket: string | undefined; urgency: WriteUrgency; grant: () => void; order: number };

const RANK: Record<WriteUrgency, number> = { urgent: 0, steady: 1, idle: 2 };

export function createWriteBudget(options: WriteBudgetOptions): WriteBudget {
	const now = options.now ?? Date.now;
	const buckets = new Map<string, Slots>();
	const global: Slots = { done: [], inFlight: 0 };
	const waiters: Waiter[] = [];
	let order = 0;
	let timer: NodeJS.Timeout | undefined;

	const used = (slots: Slots, limit: WriteLimit): number => {
		const horizon = now() - limit.windowMs;
		while ((slots.done[0] ?? Number.POSITIVE_INFINITY) <= horizon) slots.done.shift();
		return slots.done.length + slots.inFlight;
	};
	const bucketSlots = (bucket: string): Slots => {
		let slots = buckets.get(bucket);
		if (!slots) buckets.set(bucket, (slots = { done: [], inFlight: 0 }));
		return slots;
	};
	const fits = (waiter: Waiter): boolean => {
		const reserve = RANK[waiter.urgency];
		if (used(global, options.global) + reserve * options.globalReserve >= options.global.limit) return false;
		if (waiter.bucket === undefined || waiter.urgency === 'idle') return true;
		return (
			used(bucketSlots(waiter.bucket), options.perChannel) + reserve * options.channelReserve < options.perChannel.limit
		);
	};
	const take = (bucket: string | undefined, urgency: WriteUrgency): (() => void) => {
		const slots = bucket !== undefined && urgency !== 'idle' ? [global, bucketSlots(bucket)] : [global];
		for (const entry of slots) entry.inFlight += 1;
		let released = false;
		return () => {
			if (released) return;
			released = true;
			for (const entry of slots) {
				entry.inFlight -= 1;
				entry.done.push(now());
			}
			pump();
		};
	};

	function pump(): void {
		clearTimeout(timer);
		timer = undefined;
		// Forget buckets whose writes all left the window, so the map does not grow with every thread.
		for (const [bucket, slots] of buckets) {
			if (used(slots, options.perChannel) === 0) buckets.delete(bucket);
		}
		waiters.sort((a, b) => RANK[a.urgency] - RANK[b.urgency] || a.order - b.order);
		for (const waiter of [...waiters]) {
			if (!fits(waiter)) continue;
			waiters.splice(waiters.indexOf(waiter), 1);
			waiter.grant();
		}
		if (waiters.length > 0) {
			// Slots free up as old writes leave their window; look again then.
			const expiries = [
				(global.done[0] ?? Number.POSITIVE_INFINITY) + options.global.windowMs,
				...[...buckets.values()].map(
					(slots) => (slots.done[0] ?? Number.POSITIVE_INFINITY) + options.perChannel.windowMs,
				),
			];
			const next = Math.min(...expiries.filter((at) => at > now()), now() + options.global.windowMs);
			timer = setTimeout(pump, Math.max(1, next - now()));
		}
	}

	return {
		acquire(bucket, urgency, signal) {
			return new Promise((resolve, reject) => {
				const waiter: Waiter = {
					bucket,
					urgency,
					order: (order += 1),
					grant: () => {
						signal?.removeEventListener('abort', onAbort);
						resolve(take(bucket, urgency));
					},
				};
				const onAbort = (): void => {
					const index = waiters.indexOf(waiter);
					if (index !== -1) waiters.splice(index, 1);
					reject(signal?.reason instanceof Error ? signal.reason : new Error('write cancelled'));
				};
				if (signal?.aborted) {
					onAbort();
					return;
				}
				signal?.addEventListener('abort', onAbort, { once: true });
				waiters.push(waiter);
				pump();
			});
		},
	};
}
