import type { GeminiScenario } from './types.js';

type ResourceExhausted = Extract<GeminiScenario, { kind: 'resource-exhausted' }>;

/** Vertex AI never sends the Developer API's QuotaFailure and Help: a scripted 429 there is `resource-exhausted`. */
export function vertexScenario(scenario: GeminiScenario): GeminiScenario {
	if (scenario.kind === 'per-day-429') return { kind: 'resource-exhausted' };
	if (scenario.kind !== 'http-error' || scenario.status !== 429) return scenario;
	const exhausted: ResourceExhausted = { kind: 'resource-exhausted' };
	if (scenario.message !== undefined) exhausted.message = scenario.message;
	if (scenario.retryDelay !== undefined) exhausted.retryDelay = scenario.retryDelay;
	if (scenario.errorContentType !== undefined) exhausted.errorContentType = scenario.errorContentType;
	return exhausted;
}
