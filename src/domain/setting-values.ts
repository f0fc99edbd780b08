/** 'off', 'auto' (the model decides), or a budget of thinking tokens. */
export type Thinking = 'off' | 'auto' | number;

/** What /settings sets for a channel or a thread; undefined fields inherit (thread → channel → bot default). */
export type SettingValues = {
	readonly search?: boolean | undefined;
	readonly urls?: boolean | undefined;
	readonly code?: boolean | undefined;
	readonly footer?: boolean | undefined;
	readonly temperature?: number | undefined;
	readonly maxOutputTokens?: number | undefined;
	readonly thinking?: Thinking | undefined;
	/** Whether the bot answers members here (moderators always). */
	readonly enabled?: boolean | undefined;
	/** A role id members need to start a conversation here, or EVERYONE (no requirement). */
	readonly role?: string | undefined;
};

/** `/settings set role:@everyone`: anyone may start a conversation (overrides a channel's role in a thread). */
export const EVERYONE = 'everyone';

export type SettingName = keyof SettingValues;
