import type { Kysely, Selectable } from 'kysely';
import type { Persona, PersonaStore } from '../ports/persona-store.js';
import type { PersonasTable, Schema } from './schema.js';
import type { StoreOptions } from './store-options.js';

/** Moderators' system prompts over Kysely. */
export function createKyselyPersonaStore(db: Kysely<Schema>, options: Pick<StoreOptions, 'now'>): PersonaStore {
	const get = async (scopeId: string) => {
		const row = await db.selectFrom('personas').selectAll().where('scope_id', '=', scopeId).executeTakeFirst();
		return row && mapPersona(row);
	};
	return {
		get,
		async set(persona) {
			const row = await db
				.insertInto('personas')
				.values({
					scope_id: persona.scopeId,
					guild_id: persona.guildId,
					prompt: persona.prompt,
					set_by: persona.setBy,
					set_at: options.now(),
				})
				.onConflict((conflict) =>
					conflict.column('scope_id').doUpdateSet((eb) => ({
						prompt: eb.ref('excluded.prompt'),
						set_by: eb.ref('excluded.set_by'),
						set_at: eb.ref('excluded.set_at'),
					})),
				)
				.returningAll()
				.executeTakeFirstOrThrow();
			return mapPersona(row);
		},
		async clear(scopeId) {
			const result = await db.deleteFrom('personas').where('scope_id', '=', scopeId).executeTakeFirst();
			return result.numDeletedRows > 0n;
		},
		effective: async (threadId, channelId) => (await get(threadId)) ?? get(channelId),
	};
}

function mapPersona(row: Selectable<PersonasTable>): Persona {
	return { scopeId: row.scope_id, guildId: row.guild_id, prompt: row.prompt, setBy: row.set_by, setAt: row.set_at };
}
