import type { Config } from '../config/config.js';
import { toModelError } from './model-error.js';

/** The whole start-up check, every request and page included, ends after this long. */
export const MODEL_CHECK_TIMEOUT_MS = 5_000;
// A name this close to an available one is most likely a typo of it.
const MAX_TYPO_DISTANCE = 3;

/** The setting that names a model, as the owner wrote it (MODEL or GEMINI_MODEL, say). */
export type ModelSetting = string;
export type ConfiguredModel = { readonly setting: ModelSetting; readonly name: string };

/** A model as the catalog reports it; `name` may carry the API's `models/` prefix. */
export type CatalogModel = { readonly name: string; readonly canGenerate: boolean };

/** What the start-up check needs from the Gemini API (`models.get` and `models.list`). */
export type ModelCatalog = {
	/** The model, or undefined when the API does not know it (404). Rejects on any other failure. */
	get(name: string, signal: AbortSignal): Promise<CatalogModel | undefined>;
	/** Every model the API key can see, all pages. */
	list(signal: AbortSignal): Promise<readonly CatalogModel[]>;
};

export type ModelCheck =
	| { readonly kind: 'ok' }
	| {
			readonly kind: 'unknown';
			readonly unknown: readonly ConfiguredModel[];
			/** Models that answer generateContent, without `models/`, sorted. */
			readonly available: readonly string[];
			/** Who serves them, for the line: "this API key can use" (the default), "ollama serves". */
			readonly scope?: string;
	  }
	| { readonly kind: 'bad-key'; readonly reason: string }
	| { readonly kind: 'unreachable'; readonly reason: string };

/** A configured model name Gemini does not have: start-up stops with describeModelCheck's line. */
export class ModelCheckError extends Error {
	override readonly name = 'ModelCheckError';
	readonly code = 'unknown-model';
	readonly unknown: readonly ConfiguredModel[];

	constructor(check: Extract<ModelCheck, { kind: 'unknown' }>) {
		super(describeUnknown(check));
		this.unknown = check.unknown;
	}
}

type ModelSettings = Pick<
	Config,
	'defaultModel' | 'models' | 'fallbackModels' | 'modelSettingNames' | 'geminiImageModel' | 'gemini'
>;

/** Every model name the settings use, each under the first setting that names it (the image model needs Gemini). */
export function configuredModels(config: ModelSettings): ConfiguredModel[] {
	const named = (setting: ModelSetting, names: readonly string[]) => names.map((name) => ({ setting, name }));
	const settings = config.modelSettingNames;
	return uniqueByName([
		...named(settings.model, [config.defaultModel]),
		...named(settings.models, config.models),
		...named(settings.fallbackModels, config.fallbackModels),
		...named('GEMINI_IMAGE_MODEL', config.gemini === undefined ? [] : [config.geminiImageModel]),
	]);
}

/**
 * Asks for each configured model by name; only when one is missing does it list every model, which both confirms
 * the miss (a proxy at GEMINI_BASE_URL may not serve `models.get`) and names the alternatives.
 */
export async function checkModels(
	catalog: ModelCatalog,
	models: readonly ConfiguredModel[],
	{ timeoutMs = MODEL_CHECK_TIMEOUT_MS }: { timeoutMs?: number } = {},
): Promise<ModelCheck> {
	const wanted = uniqueByName(models);
	if (wanted.length === 0) return { kind: 'ok' };
	const controller = new AbortController();
	const timer = setTimeout(() => {
		controller.abort();
	}, timeoutMs);
	const { signal } = controller;
	try {
		const found = await beforeAbort(Promise.all(wanted.map((model) => catalog.get(model.name, signal))), signal);
		const missing = wanted.filter((_, index) => found[index]?.canGenerate !== true);
		if (missing.length === 0) return { kind: 'ok' };
		const listed = await beforeAbort(catalog.list(signal), signal);
		const usable = listed.filter((model) => model.canGenerate).map((model) => bareName(model.name));
		const available = [...new Set(usable)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
		const unknown = missing.filter((model) => !available.includes(bareName(model.name)));
		return unknown.length === 0 ? { kind: 'ok' } : { kind: 'unknown', unknown, available };
	} catch (error) {
		if (signal.aborted) return { kind: 'unreachable', reason: `no answer within ${timeoutMs / 1_000} s` };
		const failure = toModelError(error);
		if (failure.kind === 'auth') return { kind: 'bad-key', reason: failure.message };
		return { kind: 'unreachable', reason: failure.kind === 'network' ? causes(failure.cause) : failure.message };
	} finally {
		clearTimeout(timer);
	}
}

/** The one-line start-up error (unknown), error (bad key) or warning (unreachable); undefined when all is well. */
export function describeModelCheck(check: ModelCheck): string | undefined {
	switch (check.kind) {
		case 'ok':
			return undefined;
		case 'unknown':
			return describeUnknown(check);
		case 'bad-key':
			return `Gemini rejected GEMINI_API_KEY while checking the model names (${check.reason}). Create a key at https://aistudio.google.com/apikey and set GEMINI_API_KEY to it.`;
		case 'unreachable':
			return `Could not reach Gemini to check the model names (${check.reason}); starting anyway.`;
	}
}

function describeUnknown({
	unknown,
	available,
	scope = 'this API key can use',
}: Extract<ModelCheck, { kind: 'unknown' }>): string {
	const names = unknown.map(({ setting, name }) => {
		const guess = closest(bareName(name), available);
		return `${setting} "${name}"${guess === undefined ? '' : ` (did you mean ${guess}?)`}`;
	});
	const subject = unknown.length === 1 ? `${names.join('')} is not a model` : `${joinAnd(names)} are not models`;
	if (available.length === 0) {
		return scope === 'this API key can use'
			? `${subject} this API key can use, and Gemini lists none that it can. Check the key's project at https://aistudio.google.com.`
			: `${subject} ${scope}, and it lists none.`;
	}
	const settings = [...new Set(unknown.map((model) => model.setting))];
	const fix =
		unknown.length === 1 ? `set ${settings.join('')} to one of them` : `use these names in ${joinAnd(settings)}`;
	return `${subject} ${scope}. Available: ${available.join(', ')} (${fix}).`;
}

function uniqueByName(models: readonly ConfiguredModel[]): ConfiguredModel[] {
	const seen = new Set<string>();
	return models.filter((model) => {
		const name = bareName(model.name);
		if (seen.has(name)) return false;
		seen.add(name);
		return true;
	});
}

// The Gemini API names models `models/x`; Vertex AI `publishers/google/models/x`.
function bareName(name: string): string {
	return name.replace(/^(publishers\/google\/)?models\//, '');
}

/** Settles like `work`, or rejects once `signal` aborts, whichever is first: a catalog cannot outlast the check. */
function beforeAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
	return new Promise((resolve, reject) => {
		const onAbort = () => {
			reject(new Error('model check timed out'));
		};
		if (signal.aborted) onAbort();
		signal.addEventListener('abort', onAbort, { once: true });
		void work.then(resolve, reject).finally(() => {
			signal.removeEventListener('abort', onAbort);
		});
	});
}

/** "fetch failed: connect ECONNREFUSED 127.0.0.1:1": undici puts the useful part in the cause. */
function causes(error: unknown): string {
	const parts: string[] = [];
	for (let current = error, depth = 0; current instanceof Error && depth < 3; current = current.cause, depth += 1) {
		const code = 'code' in current && typeof current.code === 'string' ? current.code : '';
		const part = current.message || code;
		if (part !== '' && !parts.includes(part)) parts.push(part);
	}
	return parts.join(': ') || String(error);
}

function closest(name: string, candidates: readonly string[]): string | undefined {
	let best: { candidate: string; distance: number } | undefined;
	for (const candidate of candidates) {
		const distance = editDistance(name, candidate);
		if (distance <= MAX_TYPO_DISTANCE && (best === undefined || distance < best.distance))
			best = { candidate, distance };
	}
	return best?.candidate;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
	let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
	for (let i = 1; i <= a.length; i += 1) {
		const current = [i];
		for (let j = 1; j <= b.length; j += 1) {
			const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
			current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
		}
		previous = current;
	}
	return previous[b.length] ?? 0;
}

function joinAnd(items: readonly string[]): string {
	return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;
}
