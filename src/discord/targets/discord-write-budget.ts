import type { WriteBudget } from '../../reply/write-budget.js';
import { createWriteBudget } from '../../reply/write-budget.js';

/**
 * Discord's limits for message writes, with margins: about 5 creates or edits per 5 s per channel (undocumented,
 * and a channel's limit is not advertised until it is hit) and 50 requests per second per bot. The windows are a
 * little longer than Discord's because a write's slot counts from when it finished, and clocks differ.
 */
export function discordWriteBudget(): WriteBudget {
	return createWriteBudget({
		perChannel: { limit: 5, windowMs: 5_250 },
		global: { limit: 45, windowMs: 1_050 },
		// Edits while streaming leave the channel's last slot, and some global ones, to first texts and final edits.
		channelReserve: 1,
		globalReserve: 10,
	});
}
