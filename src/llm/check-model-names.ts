import type { Config } from '../config/config.js';
import { envName } from '../config/parse-providers.js';
import type { Logger } from '../log/logger.js';
import type { ConfiguredModel, ModelCatalog, ModelCheck } from './check-models.js';
import { checkModels, configuredModels, describeModelCheck, ModelCheckError } from './check-models.js';
import type { ModelAddressBook } from '../config/model-address.js';
import { VertexCredentialsError, vertexCredentialsProblem } from './vertex-credentials.js';

export type ModelNameCheckDeps = {
	readonly config: Config;
	readonly addresses: ModelAddressBook;
	/** Gemini's catalog (on Vertex AI, the first location's), when Gemini is configured. */
	readonly gemini: ModelCatalog | undefined;
	/** Each OpenAI-compatible endpoint's `GET /models`. */
	readonly endpointCatalog: (endpoint: string) => ModelCatalog;
	readonly logger: Logger;
};

/**
 * Start-up: every configured model name must exist where it is served. A typo stops the start (ModelCheckError, one
 * line naming the setting and the closest name); missing or rejected Vertex AI credentials stop it too
 * (VertexCredentialsError). A Gemini API key that is rejected is logged, since replies then say so themselves; a
 * provider out of reach is a warning (a local server may come up later), not a reason to stay down.
 */
export async function checkModelNames(deps: ModelNameCheckDeps): Promise<void> {
	const byEndpoint = new Map<string, ConfiguredModel[]>();
	const geminiModels: ConfiguredModel[] = [];
	for (const model of configuredModels(deps.config)) {
		const address = deps.addresses.parse(model.name);
		if (address.provider === 'gemini') geminiModels.push(model);
		else byEndpoint.set(address.endpoint, [...(byEndpoint.get(address.endpoint) ?? []), model]);
	}
	const vertex = deps.config.gemini?.kind === 'vertex';
	const checks = await Promise.all([
		deps.gemini && geminiModels.length > 0
			? checkModels(deps.gemini, geminiModels).then((check) => ({ provider: 'gemini', check }))
			: undefined,
		...[...byEndpoint].map(([endpoint, models]) =>
			checkModels(deps.endpointCatalog(endpoint), models).then((check) => ({ provider: endpoint, check })),
		),
	]);
	for (const result of checks) {
		if (!result) continue;
		const { provider, check } = result;
		if (check.kind === 'unknown') {
			const scope =
				provider === 'gemini' ? (vertex ? 'this Vertex AI project can use' : undefined) : `${provider} serves`;
			throw new ModelCheckError(scope === undefined ? check : { ...check, scope });
		}
		if (provider === 'gemini' && vertex) {
			const problem = vertexCredentialsProblem(check);
			if (problem) throw new VertexCredentialsError(problem);
		}
		report(deps, provider, check);
	}
}

function report(deps: ModelNameCheckDeps, provider: string, check: ModelCheck): void {
	const name = provider === 'gemini' ? 'gemini' : provider;
	switch (check.kind) {
		case 'ok':
		case 'unknown':
			deps.logger.debug({ provider: name }, 'model names checked');
			return;
		case 'bad-key':
			deps.logger.error(
				{
					reason: check.reason,
					hint:
						provider === 'gemini'
							? describeModelCheck(check)
							: `${provider} rejected ${envName(provider)}_API_KEY while checking the model names.`,
				},
				`${name} rejected the api key`,
			);
			return;
		case 'unreachable':
			deps.logger.warn(
				{ reason: check.reason, provider: name },
				`could not reach ${name} to check the model names; starting anyway`,
			);
	}
}
