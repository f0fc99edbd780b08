import type { SettingValues, Thinking } from '../settings/model-settings.js';
import type { SqliteDatabase } from './open-database.js';

export type StoredSettings = SettingValues & { scopeId: string; setBy: string; setAt: number };

/** /settings values per channel or thread; a NULL column inherits. */
export type ModelSettingsStore = {
	get(scopeId: string): StoredSettings | undefined;
	/** Sets the given values (others keep theirs) and returns the row. */
	set(change: { scopeId: string; guildId: string; setBy: string; values: SettingValues }): StoredSettings;
	/** Returns whether there was a row. */
	clear(scopeId: string): boolean;
};

type SettingsRow = {
	scope_id: string;
	search: number | null;
	urls: number | null;
	code: number | null;
	footer: number | null;
	temperature: number | null;
	max_output_tokens: number | null;
	thinking: string | null;
	enabled: number | null;
	role_id: string | null;
	set_by: string;
	set_at: number;
};

export function createModelSettingsStore(db: SqliteDatabase, now: () => number = Date.now): ModelSettingsStore {
	const select = db.prepare<[string], SettingsRow>('SELECT * FROM model_settings WHERE scope_id = ?');
	const upsert = db.prepare<Record<string, unknown>, SettingsRow>(
		`INSERT INTO model_settings (scope_id, guild_id, search, urls, code, footer, temperature, max_output_tokens,
			thinking, enabled, role_id, set_by, set_at)
		 VALUES (@scopeId, @guildId, @search, @urls, @code, @footer, @temperature, @maxOutputTokens, @thinking, @enabled,
			@role, @setBy, @now)
		 ON CONFLICT (scope_id) DO UPDATE SET search = coalesce(excluded.search, search),
			urls = coalesce(excluded.urls, urls), code = coalesce(excluded.code, code),
			footer = coalesce(excluded.footer, footer), temperature = coalesce(excluded.temperature, temperature),
			max_output_tokens = coalesce(excluded.max_output_tokens, max_output_tokens),
			thinking = coalesce(excluded.thinking, thinking), enabled = coalesce(excluded.enabled, enabled),
			role_id = coalesce(excluded.role_id, role_id), set_by = excluded.set_by, set_at = excluded.set_at
		 RETURNING *`,
	);
	const remove = db.prepare<[string]>('DELETE FROM model_settings WHERE scope_id = ?');
	return {
		get: (scopeId) => mapRow(select.get(scopeId)),
		set({ scopeId, guildId, setBy, values }) {
			const row = upsert.get({
				scopeId,
				guildId,
				setBy,
				now: now(),
				search: flag(values.search),
				urls: flag(values.urls),
				code: flag(values.code),
				footer: flag(values.footer),
				temperature: values.temperature ?? null,
				maxOutputTokens: values.maxOutputTokens ?? null,
				thinking: values.thinking === undefined ? null : String(values.thinking),
				enabled: flag(values.enabled),
				role: values.role ?? null,
			});
			const stored = mapRow(row);
			if (!stored) throw new Error(`Settings for ${scopeId} were not stored`);
			return stored;
		},
		clear: (scopeId) => remove.run(scopeId).changes > 0,
	};
}

function flag(value: boolean | undefined): number | null {
	return value === undefined ? null : Number(value);
}

function mapRow(row: SettingsRow | undefined): StoredSettings | undefined {
	if (!row) return undefined;
	const bool = (value: number | null): boolean | undefined => (value === null ? undefined : value === 1);
	return {
		scopeId: row.scope_id,
		setBy: row.set_by,
		setAt: row.set_at,
		search: bool(row.search),
		urls: bool(row.urls),
		code: bool(row.code),
		footer: bool(row.footer),
		temperature: row.temperature ?? undefined,
		maxOutputTokens: row.max_output_tokens ?? undefined,
		thinking: parseThinking(row.thinking),
		enabled: bool(row.enabled),
		role: row.role_id ?? undefined,
	};
}

function parseThinking(value: string | null): Thinking | undefined {
	if (value === null) return undefined;
	if (value === 'off' || value === 'auto') return value;
	return Number(value);
}
