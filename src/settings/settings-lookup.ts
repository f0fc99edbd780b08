import type { ModelSettingsStore } from '../store/model-settings-store.js';
import type { EffectiveSettings, SettingDefaults } from './model-settings.js';
import { effectiveSettings } from './model-settings.js';

/** The settings in effect in a thread (its own over its channel's over the bot's defaults); read per call. */
export type SettingsLookup = (threadId: string, channelId: string) => EffectiveSettings;

export function createSettingsLookup(store: ModelSettingsStore, defaults: SettingDefaults): SettingsLookup {
	return (threadId, channelId) =>
		effectiveSettings(defaults, store.get(channelId), threadId === channelId ? undefined : store.get(threadId));
}
