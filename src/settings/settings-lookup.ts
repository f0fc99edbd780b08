import type { ModelSettingsStore } from '../store/ports/model-settings-store.js';
import type { EffectiveSettings, SettingDefaults } from './model-settings.js';
import { effectiveSettings } from './model-settings.js';

/** The settings in effect in a thread (its own over its channel's over the bot's defaults); read per call. */
export type SettingsLookup = (threadId: string, channelId: string) => Promise<EffectiveSettings>;

export function createSettingsLookup(store: ModelSettingsStore, defaults: SettingDefaults): SettingsLookup {
	return async (threadId, channelId) => {
		const [channel, thread] = await Promise.all([
			store.get(channelId),
			threadId === channelId ? undefined : store.get(threadId),
		]);
		return effectiveSettings(defaults, channel, thread);
	};
}
