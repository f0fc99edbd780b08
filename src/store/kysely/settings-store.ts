import type { Kysely } from 'kysely';
import type { SettingsStore } from '../ports/settings-store.js';
import type { Schema } from './schema.js';
import type { StoreOptions } from './store-options.js';

/** Per-channel model choices and the bot's own small facts over Kysely. */
export function createKyselySettingsStore(db: Kysely<Schema>, options: Pick<StoreOptions, 'now'>): SettingsStore {
	return {
		async channelModel(channelId) {
			const row = await db
				.selectFrom('channel_models')
				.selectAll()
				.where('channel_id', '=', channelId)
				.executeTakeFirst();
			return row && { channelId: row.channel_id, model: row.model, setBy: row.set_by, setAt: row.set_at };
		},
		async setChannelModel(choice) {
			await db
				.insertInto('channel_models')
				.values({
					channel_id: choice.channelId,
					guild_id: choice.guildId,
					model: choice.model,
					set_by: choice.setBy,
					set_at: options.now(),
				})
				.onConflict((conflict) =>
					conflict.column('channel_id').doUpdateSet((eb) => ({
						model: eb.ref('excluded.model'),
						set_by: eb.ref('excluded.set_by'),
						set_at: eb.ref('excluded.set_at'),
					})),
				)
				.execute();
		},
		async clearChannelModel(channelId) {
			const result = await db.deleteFrom('channel_models').where('channel_id', '=', channelId).executeTakeFirst();
			return result.numDeletedRows > 0n;
		},
		async state(key) {
			const row = await db.selectFrom('bot_state').select('value').where('key', '=', key).executeTakeFirst();
			return row?.value;
		},
		async setState(key, value) {
			await db
				.insertInto('bot_state')
				.values({ key, value })
				.onConflict((conflict) => conflict.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
				.execute();
		},
	};
}
