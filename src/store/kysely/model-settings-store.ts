import type { Thinking } from '../../domain/setting-values.js';
import type { Kysely, Selectable } from 'kysely';

import type { ModelSettingsStore, StoredSettings } from '../ports/model-settings-store.js';
import type { StoreDialect } from './dialect.js';
import { isSet } from './dialect.js';
import type { Flag, ModelSettingsTable, Schema } from './schema.js';
import type { StoreOptions } from './store-options.js';

const MERGED = [
	'search',
	'urls',
	'code',
	'footer',
	'temperature',
	'max_output_tokens',
	'thinking',
	'enabled',
	'role_id',
] as const;

/** /settings values per channel or thread over Kysely; a NULL column inherits. */
export function createKyselyModelSettingsStore(
	db: Kysely<Schema>,
	options: Pick<StoreOptions, 'dialect' | 'now'>,
): ModelSettingsStore {
	const flag = (value: boolean | undefined) => flagOrNull(options.dialect, value);
	return {
		async get(scopeId) {
			const row = await db.selectFrom('model_settings').selectAll().where('scope_id', '=', scopeId).executeTakeFirst();
			return row && mapRow(row);
		},
		async set({ scopeId, guildId, setBy, values }) {
			const row = await db
				.insertInto('model_settings')
				.values({
					scope_id: scopeId,
					guild_id: guildId,
					set_by: setBy,
					set_at: options.now(),
					search: flag(values.search),
					urls: flag(values.urls),
					code: flag(values.code),
					footer: flag(values.footer),
					temperature: values.temperature ?? null,
					max_output_tokens: values.maxOutputTokens ?? null,
					thinking: values.thinking === undefined ? null : String(values.thinking),
					enabled: flag(values.enabled),
					role_id: values.role ?? null,
				})
				// The values given replace the stored ones; the others keep theirs.
				.onConflict((conflict) =>
					conflict.column('scope_id').doUpdateSet((eb) => ({
						...Object.fromEntries(
							MERGED.map((column) => [
								column,
								eb.fn.coalesce(eb.ref(`excluded.${column}`), eb.ref(`model_settings.${column}`)),
							]),
						),
						set_by: eb.ref('excluded.set_by'),
						set_at: eb.ref('excluded.set_at'),
					})),
				)
				.returningAll()
				.executeTakeFirstOrThrow();
			return mapRow(row);
		},
		async clear(scopeId) {
			const result = await db.deleteFrom('model_settings').where('scope_id', '=', scopeId).executeTakeFirst();
			return result.numDeletedRows > 0n;
		},
	};
}

function flagOrNull(dialect: StoreDialect, value: boolean | undefined): Flag | null {
	return value === undefined ? null : dialect.flag(value);
}

function mapRow(row: Selectable<ModelSettingsTable>): StoredSettings {
	const bool = (value: Flag | null): boolean | undefined => (value === null ? undefined : isSet(value));
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
