import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { runMulti } from './run-multi.js';

const TICKETS_TTL_MS = 86_400_000;

/** A lane's requests, for every process together: never more than `perWindow` in any window. */
export type RequestSlots = {
	/** Counts one call of `claim` on `lane` (0), or returns the ms until its slot is free. */
	take(claim: object, lane: string, perWindow: number): Promise<number>;
	/** `claim` was admitted somewhere: its places on other lanes go to this process's next calls there. */
	release(claim: object): void;
};

/**
 * A lane has `perWindow` slots, each an RLF key of 1 point for the whole window: a slot holds at most one call per
 * window, so any window holds at most `perWindow` calls, exactly, in every process together. A call takes a
 * ticket from a counter (and keeps it while it tries, so it keeps its place) and waits for slot `ticket %
 * perWindow`, which the call `perWindow` tickets before it holds: the sliding window's own rule, in ticket order.
 */
export function createRequestSlots(options: {
	readonly redis: Redis;
	readonly prefix: string;
	readonly windowMs: number;
}): RequestSlots {
	const { redis, prefix } = options;
	const slots = new RateLimiterRedis({
		storeClient: redis,
		keyPrefix: `${prefix}slot`,
		points: 1,
		duration: options.windowMs / 1_000,
	});
	const tickets = new WeakMap<object, Map<string, number>>();
	// Tickets of calls admitted on another lane: their slot would stay unused for a window unless someone takes it.
	const orphans = new Map<string, number[]>();
	const ticketOf = async (claim: object, lane: string): Promise<number> => {
		const held = tickets.get(claim) ?? new Map<string, number>();
		tickets.set(claim, held);
		let ticket = held.get(lane) ?? orphans.get(lane)?.shift();
		if (ticket === undefined) {
			const counter = `${prefix}ticket:${lane}`;
			const [next] = await runMulti(redis.multi().incr(counter).pexpire(counter, TICKETS_TTL_MS));
			ticket = Number(next);
		}
		held.set(lane, ticket);
		return ticket;
	};
	return {
		async take(claim, lane, perWindow) {
			const ticket = await ticketOf(claim, lane);
			try {
				await slots.consume(`${lane}:${ticket % Math.max(1, Math.floor(perWindow))}`);
			} catch (rejection) {
				if (rejection instanceof RateLimiterRes) return Math.max(1, rejection.msBeforeNext);
				throw rejection;
			}
			tickets.get(claim)?.delete(lane);
			return 0;
		},
		release(claim) {
			for (const [lane, ticket] of tickets.get(claim) ?? []) {
				const spare = orphans.get(lane) ?? [];
				orphans.set(lane, [...spare, ticket].sort((a, b) => a - b).slice(0, 1_000));
			}
			tickets.delete(claim);
		},
	};
}
