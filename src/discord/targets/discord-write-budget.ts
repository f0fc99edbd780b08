import { setTimeout as delay } from 'node:timers/promises';
import type { SharedRate } from '../../concurrency/shared-limits.js';
import type { WriteBudget } from '../../reply/write-budget.js';
import { createWriteBudget } from '../../reply/write-budget.js';

// Discord's global limit is per bot token, whichever process sends: the processes share 45 a second.
const SHARED_GLOBAL_PER_SECOND = 45;

/**
 * Discord's limits for message writes, with margins: about 5 creates or edits per 5 s per channel (undocumented,
 * and a channel's limit is not advertised until it is hit) and 50 requests per second per bot. The windows are a
 * little longer than Discord's because a write's slot counts from when it finished, and clocks differ. A channel
 * lives in one shard, so its bucket stays in its process; with `shared`, a write also takes one of the requests all
 * processes share per second.
 */
export function discordWriteBudget(shared?: SharedRate): WriteBudget {
	const local = createWriteBudget({
		perChannel: { limit: 5, windowMs: 5_250 },
		global: { limit: 45, windowMs: 1_050 },
		// Edits while streaming leave the channel's last slot, and some global ones, to first texts and final edits.
		channelReserve: 1,
		globalReserve: 10,
	});
	if (!shared) return local;
	return {
		async acquire(bucket, urgency, signal) {
			const done = await local.acquire(bucket, urgency, signal);
			try {
				for (;;) {
					const wait = await shared.take('discord-global', SHARED_GLOBAL_PER_SECOND);
					if (wait === 0) return done;
					await delay(wait, undefined, signal ? { signal } : {});
				}
			} catch (error) {
				done();
				throw error;
			}
		},
	};
}
