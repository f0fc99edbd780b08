import type { SqliteDatabase } from './open-database.js';

export type ChannelModel = { channelId: string; model: string; setBy: string; setAt: number };

/** Per-channel choices and the bot's own small facts. */
export type SettingsStore = {
	channelModel(channelId: string): ChannelModel | undefined;
	setChannelModel(choice: { channelId: string; guildId: string; model: string; setBy: string }): void;
	clearChannelModel(channelId: string): boolean;
	state(key: string): string | undefined;
	setState(key: string, value: string): void;
};

type ChannelModelRow = { channel_id: string; model: string; set_by: string; set_at: number };

export function createSettingsStore(db: SqliteDatabase, now: () => number = Date.now): SettingsStore {
	const selectModel = db.prepare<[string], ChannelModelRow>('SELECT * FROM channel_models WHERE channel_id = ?');
	const upsertModel = db.prepare<[string, string, string, string, number]>(
		`INSERT INTO channel_models (channel_id, guild_id, model, set_by, set_at) VALUES (?, ?, ?, ?, ?)
		 ON CONFLICT (channel_id) DO UPDATE SET model = excluded.model, set_by = excluded.set_by, set_at = excluded.set_at`,
	);
	const deleteModel = db.prepare<[string]>('DELETE FROM channel_models WHERE channel_id = ?');
	const selectState = db.prepare<[string], { value: string }>('SELECT value FROM bot_state WHERE key = ?');
	const upsertState = db.prepare<[string, string]>(
		'INSERT INTO bot_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
	);
	return {
		channelModel(channelId) {
			const row = selectModel.get(channelId);
			return row && { channelId: row.channel_id, model: row.model, setBy: row.set_by, setAt: row.set_at };
		},
		setChannelModel(choice) {
			upsertModel.run(choice.channelId, choice.guildId, choice.model, choice.setBy, now());
		},
		clearChannelModel: (channelId) => deleteModel.run(channelId).changes > 0,
		state: (key) => selectState.get(key)?.value,
		setState(key, value) {
			upsertState.run(key, value);
		},
	};
}
