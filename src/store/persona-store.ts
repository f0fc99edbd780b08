import type { SqliteDatabase } from './open-database.js';

export type Persona = { scopeId: string; guildId: string; prompt: string; setBy: string; setAt: number };

/** Moderators' system prompts, per channel or per thread. */
export type PersonaStore = {
	get(scopeId: string): Persona | undefined;
	set(persona: Omit<Persona, 'setAt'>): Persona;
	/** Returns whether there was one. */
	clear(scopeId: string): boolean;
	/** The thread's own persona if it has one, else its channel's. */
	effective(threadId: string, channelId: string): Persona | undefined;
};

type PersonaRow = { scope_id: string; guild_id: string; prompt: string; set_by: string; set_at: number };

export function createPersonaStore(db: SqliteDatabase, now: () => number = Date.now): PersonaStore {
	const select = db.prepare<[string], PersonaRow>('SELECT * FROM personas WHERE scope_id = ?');
	const upsert = db.prepare<[string, string, string, string, number], PersonaRow>(
		`INSERT INTO personas (scope_id, guild_id, prompt, set_by, set_at) VALUES (?, ?, ?, ?, ?)
		 ON CONFLICT (scope_id) DO UPDATE SET prompt = excluded.prompt, set_by = excluded.set_by, set_at = excluded.set_at
		 RETURNING *`,
	);
	const remove = db.prepare<[string]>('DELETE FROM personas WHERE scope_id = ?');
	const get = (scopeId: string): Persona | undefined => mapPersona(select.get(scopeId));
	return {
		get,
		set(persona) {
			const row = upsert.get(persona.scopeId, persona.guildId, persona.prompt, persona.setBy, now());
			if (!row) throw new Error(`Persona for ${persona.scopeId} was not stored`);
			return mapPersona(row) as Persona;
		},
		clear: (scopeId) => remove.run(scopeId).changes > 0,
		effective: (threadId, channelId) => get(threadId) ?? get(channelId),
	};
}

function mapPersona(row: PersonaRow | undefined): Persona | undefined {
	return (
		row && { scopeId: row.scope_id, guildId: row.guild_id, prompt: row.prompt, setBy: row.set_by, setAt: row.set_at }
	);
}
