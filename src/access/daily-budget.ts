export const DAY_MS = 86_400_000;

/** MEMBER_DAILY_TOKENS and GUILD_DAILY_TOKENS; undefined = no limit. */
export type DailyLimits = { readonly memberTokens: number | undefined; readonly guildTokens: number | undefined };

/** A budget used up: whose, how much, and when it starts again. */
export type BudgetExhausted = {
	readonly scope: 'member' | 'server';
	readonly limit: number;
	readonly resetsAt: number;
};

/** Budgets count from midnight UTC, so that a member and the server owner read the same day. */
export function dayStart(now: number): number {
	return Math.floor(now / DAY_MS) * DAY_MS;
}

/** The first budget `used` has reached today (the server's first: it stops everyone), or undefined. */
export function exhaustedBudget(
	used: { readonly member: () => number; readonly guild: () => number },
	limits: DailyLimits,
	now: number,
): BudgetExhausted | undefined {
	const resetsAt = dayStart(now) + DAY_MS;
	if (limits.guildTokens !== undefined && used.guild() >= limits.guildTokens) {
		return { scope: 'server', limit: limits.guildTokens, resetsAt };
	}
	if (limits.memberTokens !== undefined && used.member() >= limits.memberTokens) {
		return { scope: 'member', limit: limits.memberTokens, resetsAt };
	}
	return undefined;
}

/** The polite line a member gets when a budget stops their question. */
export function budgetText(exhausted: BudgetExhausted): string {
	const limit = exhausted.limit.toLocaleString('en-US');
	const at = Math.floor(exhausted.resetsAt / 1_000);
	const when = `<t:${at}:R> (<t:${at}:t>)`;
	return exhausted.scope === 'member'
		? `Sorry, you have used today's ${limit} tokens on this server, so I will not answer you until the limit resets ${when}.`
		: `Sorry, this server has used today's ${limit} tokens, so I will not answer anyone until the limit resets ${when}.`;
}
