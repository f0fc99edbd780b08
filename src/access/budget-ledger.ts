import { retryWhile } from '../concurrency/retry-while.js';
import { isStoreUnavailable } from '../store/ports/store-unavailable.js';
import type { SharedTotals } from '../concurrency/shared-limits.js';
import { createKeyedLock } from '../concurrency/keyed-lock.js';
import type { TokenUsage } from '../domain/token-usage.js';
import type { UsageRecord, UsageStore } from '../store/ports/usage-store.js';
import type { BudgetExhausted, DailyLimits } from './daily-budget.js';
import { budgetText, dayStart, exhaustedBudget } from './daily-budget.js';

/** Whose call it is, for the daily budgets and the usage ledger. */
export type ChargeScope = Omit<UsageRecord, 'model' | 'usage' | 'location'>;

// Longer than any call runs: the reservations of a process that died go by themselves.
const RESERVATION_TTL_MS = 60 * 60 * 1_000;

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
	/** Tokens reserved by calls running now, in every process together. */
	readonly reservations: SharedTotals;
	readonly now?: () => number;
	/** A usage record that could not be stored even once the database was back (see settle). */
	readonly onRecordFailed?: (error: unknown) => void;
}): BudgetLedger {
	const now = deps.now ?? Date.now;
	const turns = createKeyedLock();
	// Reserved tokens of running calls, per server and per member of a server. Within a process a server's checks
	// and reservations take turns; two processes checking in the same instant may both pass (by one call at most).
	const add = (key: string, tokens: number): Promise<number> =>
		deps.reservations.add(`reserved:${key}`, tokens, RESERVATION_TTL_MS);
	const reservedOf = (key: string): Promise<number> => deps.reservations.get(`reserved:${key}`);
	const memberKey = (guildId: string, userId: string): string => `${guildId}:${userId}`;
	const limited = deps.limits.guildTokens !== undefined || deps.limits.memberTokens !== undefined;

	/**
	 * Used and reserved tokens reach a limit. With `adding`, a call that would run beside others must also fit
	 * (one call alone may still cross the limit, as before reservations: its size is only an estimate).
	 */
	async function exhausted(guildId: string, userId: string, adding = 0): Promise<BudgetExhausted | undefined> {
		if (!limited) return undefined;
		const since = dayStart(now());
		const member = memberKey(guildId, userId);
		const [memberUsed, guildUsed, memberReserved, guildReserved] = await Promise.all([
			// Only the totals a limit needs: each is a query.
			deps.limits.memberTokens === undefined ? 0 : deps.usage.tokensSince(guildId, since, userId),
			deps.limits.guildTokens === undefined ? 0 : deps.usage.tokensSince(guildId, since),
			deps.limits.memberTokens === undefined ? 0 : reservedOf(member),
			deps.limits.guildTokens === undefined ? 0 : reservedOf(guildId),
		]);
		const running = new Map([
			[member, memberReserved],
			[guildId, guildReserved],
		]);
		const counted = (used: number, key: string): number => {
			const reserved = running.get(key) ?? 0;
			return used + reserved + (reserved > 0 ? adding : 0);
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
				await Promise.all(keys.map((key) => add(key, tokens)));
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
								await Promise.all(keys.map((key) => add(key, -tokens)));
							}
						});
					},
				};
			}),
	};
}
