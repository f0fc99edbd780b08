import { retryWhile } from '../concurrency/retry-while.js';
import { isStoreUnavailable } from '../store/ports/store-unavailable.js';
import { createKeyedLock } from '../concurrency/keyed-lock.js';
import type { TokenUsage } from '../domain/token-usage.js';
import type { UsageRecord, UsageStore } from '../store/ports/usage-store.js';
import type { BudgetExhausted, DailyLimits } from './daily-budget.js';
import { budgetText, dayStart, exhaustedBudget } from './daily-budget.js';

/** Whose call it is, for the daily budgets and the usage ledger. */
export type ChargeScope = Omit<UsageRecord, 'model' | 'usage' | 'location'>;

/** A model call's tokens, held against the budgets from its start until it is settled with what it used. */
export type Reservation = {
	/** Records the call's usage in the ledger and releases the reservation; only the first call counts. */
	settle(usage: TokenUsage, model: string, location?: string): Promise<void>;
};

/** Reserves `tokens` for a call about to start, or says why today's budget will not allow it. */
export type UsageCharge = (tokens: number) => Promise<Reservation | { readonly refused: string }>;

/** MEMBER_DAILY_TOKENS and GUILD_DAILY_TOKENS over the usage ledger, counting calls still running. */
export type BudgetLedger = {
	/** The first budget used up or fully reserved today for this member here, if any. */
	exhausted(guildId: string, userId: string): Promise<BudgetExhausted | undefined>;
	/** What a call on this scope's behalf may use: see UsageCharge. */
	charge(scope: ChargeScope): UsageCharge;
};

/**
 * Budgets are checked when a call starts, and its tokens are only known when it ends: calls running side by side would
 * each see the budget as it was before any of them. So a starting call reserves an estimate, which counts as used
 * until the call settles with what the model reported. A server's checks and settlements take turns, so a check never
 * reads the ledger between a call's record and the release of its reservation.
 */
export function createBudgetLedger(deps: {
	readonly usage: Pick<UsageStore, 'record' | 'tokensSince'>;
	readonly limits: DailyLimits;
	readonly now?: () => number;
	/** A usage record that could not be stored even once the database was back (see settle). */
	readonly onRecordFailed?: (error: unknown) => void;
}): BudgetLedger {
	const now = deps.now ?? Date.now;
	const turns = createKeyedLock();
	// Reserved tokens of running calls, per server and per member of a server; an entry goes when it reaches 0.
	const reserved = new Map<string, number>();
	const add = (key: string, tokens: number): void => {
		const total = (reserved.get(key) ?? 0) + tokens;
		if (total > 0) reserved.set(key, total);
		else reserved.delete(key);
	};
	const memberKey = (guildId: string, userId: string): string => `${guildId}:${userId}`;
	const limited = deps.limits.guildTokens !== undefined || deps.limits.memberTokens !== undefined;

	/**
	 * Used and reserved tokens reach a limit. With `adding`, a call that would run beside others must also fit
	 * (one call alone may still cross the limit, as before reservations: its size is only an estimate).
	 */
	async function exhausted(guildId: string, userId: string, adding = 0): Promise<BudgetExhausted | undefined> {
		if (!limited) return undefined;
		const since = dayStart(now());
		const [memberUsed, guildUsed] = await Promise.all([
			// Only the totals a limit needs: each is a query.
			deps.limits.memberTokens === undefined ? 0 : deps.usage.tokensSince(guildId, since, userId),
			deps.limits.guildTokens === undefined ? 0 : deps.usage.tokensSince(guildId, since),
		]);
		const counted = (used: number, key: string): number => {
			const running = reserved.get(key) ?? 0;
			return used + running + (running > 0 ? adding : 0);
		};
		return exhaustedBudget(
			{
				member: () => counted(memberUsed, memberKey(guildId, userId)),
				guild: () => counted(guildUsed, guildId),
			},
			deps.limits,
			now(),
		);
	}

	return {
		exhausted: (guildId, userId) => exhausted(guildId, userId),
		charge: (scope) => (tokens) =>
			turns.run(scope.guildId, async () => {
				const over = await exhausted(scope.guildId, scope.userId, tokens);
				if (over) return { refused: budgetText(over) };
				const keys = [scope.guildId, memberKey(scope.guildId, scope.userId)];
				for (const key of keys) add(key, tokens);
				let settled = false;
				return {
					settle: (usage, model, location) => {
						if (settled) return Promise.resolve();
						settled = true;
						// Recorded before the reservation goes, so the tokens never count for nothing in between.
						const record = () =>
							deps.usage.record({ ...scope, model, usage, ...(location === undefined ? {} : { location }) });
						return turns.run(scope.guildId, async () => {
							try {
								await record();
							} catch (error) {
								if (!isStoreUnavailable(error)) throw error;
								// The database is away: the reply must not wait for it (nor fail); the tokens are
								// recorded once it is back, and until then count for nothing.
								retryWhile(record, isStoreUnavailable).catch((late: unknown) => deps.onRecordFailed?.(late));
							} finally {
								for (const key of keys) add(key, -tokens);
							}
						});
					},
				};
			}),
	};
}
