export type ChannelModel = { channelId: string; model: string; setBy: string; setAt: number };

/** Per-channel model choices and the bot's own small facts (the slash-command registration, say). */
export type SettingsStore = {
	channelModel(channelId: string): Promise<ChannelModel | undefined>;
	setChannelModel(choice: { channelId: string; guildId: string; model: string; setBy: string }): Promise<void>;
	clearChannelModel(channelId: string): Promise<boolean>;
	state(key: string): Promise<string | undefined>;
	setState(key: string, value: string): Promise<void>;
};
