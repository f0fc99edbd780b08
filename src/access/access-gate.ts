import type { SharedOnce } from '../concurrency/shared-limits.js';
import { EVERYONE } from '../domain/setting-values.js';
import type { SettingsLookup } from '../settings/settings-lookup.js';

import type { BudgetLedger } from './budget-ledger.js';
import { budgetText, DAY_MS, dayStart } from './daily-budget.js';

/** Who asks for a model call, and where. */
export type AccessRequest = {
	readonly guildId: string;
	/** The text channel (a thread's parent). */
	readonly channelId: string;
	/** The thread, when the call is in one (its own settings override the channel's). */
	readonly threadId: string | undefined;
	readonly userId: string;
	/** Manage Channels here: always answered where the bot is switched off or needs a role. */
	readonly moderator: boolean;
	readonly roleIds: readonly string[];
	/** A new conversation (a mention, /chat, /imagine), which `role` restricts; not a message in a bot thread. */
	readonly starting: boolean;
};

export type AccessDecision =
	| { readonly allowed: true }
	| {
			readonly allowed: false;
			readonly reason: 'disabled' | 'role' | 'member-budget' | 'server-budget';
			/** A short line for the member. */
			readonly text: string;
			/** False once the member was told today (here): a message then gets no second notice. */
			readonly tell: boolean;
	  };

export type AccessGate = { readonly check: (request: AccessRequest) => Promise<AccessDecision> };

/** /settings enabled and role, then the daily token budgets (the usage ledger and the calls running now). */
export function createAccessGate(deps: {
	readonly settingsFor: SettingsLookup;
	readonly budgets: Pick<BudgetLedger, 'exhausted'>;
	/** Who was told today, kept for every process together. */
	readonly once: SharedOnce;
	readonly now?: () => number;
}): AccessGate {
	const now = deps.now ?? Date.now;

	async function refuse(reason: Exclude<AccessDecision, { allowed: true }>['reason'], text: string, key: string) {
		// Once per member, reason and place per day (UTC): the key names the day, and lasts until it is over.
		const today = dayStart(now());
		const tell = await deps.once.first(`told:${today}:${reason}:${key}`, today + DAY_MS - now());
		return { allowed: false, reason, text, tell } as const;
	}

	return {
		async check(request) {
			const { values } = await deps.settingsFor(request.threadId ?? request.channelId, request.channelId);
			const place = `${request.userId}:${request.threadId ?? request.channelId}`;
			if (!request.moderator && values.enabled === false) {
				return refuse('disabled', 'Moderators have switched me off here, so I will not answer.', place);
			}
			if (!request.moderator && request.starting && values.role !== undefined && values.role !== EVERYONE) {
				if (!request.roleIds.includes(values.role)) {
					const text = `Only members with the <@&${values.role}> role can start a conversation with me here.`;
					return refuse('role', text, place);
				}
			}
			const exhausted = await deps.budgets.exhausted(request.guildId, request.userId);
			if (!exhausted) return { allowed: true };
			const key = exhausted.scope === 'member' ? request.userId : `${request.userId}:${request.guildId}`;
			return refuse(exhausted.scope === 'member' ? 'member-budget' : 'server-budget', budgetText(exhausted), key);
		},
	};
}
