import type { WriteBudgetOptions } from '../../src/reply/write-budget.js';
import { createWriteBudget } from '../../src/reply/write-budget.js';
import { createModelGate } from '../../src/llm/model-gate.js';
import { createModelQueue } from '../../src/llm/model-queue.js';

const ROOMY: WriteBudgetOptions = {
	perChannel: { limit: 100, windowMs: 1_000 },
	global: { limit: 1_000, windowMs: 1_000 },
	channelReserve: 1,
	globalReserve: 1,
};

/** A Discord write budget that never holds a write back, unless `limits` tighten it. */
export function roomyBudget(limits: Partial<WriteBudgetOptions> = {}) {
	return createWriteBudget({ ...ROOMY, ...limits });
}

/** A model queue with `concurrency` slots and rate limits no unit test reaches. */
export function roomyQueue(concurrency = 2) {
	return createModelQueue({
		concurrency,
		gate: createModelGate({ requestsPerMinute: 1_000, tokensPerMinute: undefined }),
	});
}
