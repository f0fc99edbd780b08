import type { SettingValues } from '../../domain/setting-values.js';

export type StoredSettings = SettingValues & { scopeId: string; setBy: string; setAt: number };

/** /settings values per channel or thread; an unset value inherits. */
export type ModelSettingsStore = {
	get(scopeId: string): Promise<StoredSettings | undefined>;
	/** Sets the given values (others keep theirs) and returns the row. */
	set(change: { scopeId: string; guildId: string; setBy: string; values: SettingValues }): Promise<StoredSettings>;
	/** Returns whether there was a row. */
	clear(scopeId: string): Promise<boolean>;
};
