import type { FakeGeminiModel } from './types.js';

const TEXT_METHODS = ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'];
const MILLION_TOKENS = 1_048_576;

/**
 * What the fake's `models.get` / `models.list` know by default: every model the tests configure, plus an
 * embedding model that cannot generateContent (real listings hold many of those).
 */
export const DEFAULT_FAKE_MODELS: readonly FakeGeminiModel[] = [
	{ name: 'gemini-2.5-flash', displayName: 'Gemini 2.5 Flash', version: '001', thinking: true },
	{ name: 'gemini-2.5-pro', displayName: 'Gemini 2.5 Pro', version: '2.5', thinking: true },
	{ name: 'gemini-2.5-flash-lite', displayName: 'Gemini 2.5 Flash-Lite', version: '001', thinking: true },
	{
		name: 'gemini-2.5-flash-image',
		displayName: 'Nano Banana',
		version: '2.0',
		inputTokenLimit: 32_768,
		outputTokenLimit: 32_768,
		supportedGenerationMethods: ['generateContent', 'countTokens', 'batchGenerateContent'],
	},
	{ name: 'gemini-2.0-flash', displayName: 'Gemini 2.0 Flash', version: '2.0', outputTokenLimit: 8_192 },
	{
		name: 'gemini-embedding-001',
		displayName: 'Gemini Embedding 001',
		version: '001',
		inputTokenLimit: 2_048,
		outputTokenLimit: 1,
		supportedGenerationMethods: ['embedContent', 'countTextTokens', 'countTokens', 'asyncBatchEmbedContent'],
	},
];

export function toFakeModel(model: string | FakeGeminiModel): FakeGeminiModel {
	return typeof model === 'string' ? { name: bareName(model) } : { ...model, name: bareName(model.name) };
}

export function bareName(name: string): string {
	return name.replace(/^models\//, '');
}

/**
 * Vertex AI's `PublisherModel` for a Gemini model: no display name, token limits or methods (the SDK's `Model` ends up
 * with `name`, `version` and an empty `tunedModelInfo`).
 */
export function publisherModelResource(model: FakeGeminiModel): Record<string, unknown> {
	const preview = model.name.includes('preview');
	return {
		name: `publishers/google/models/${model.name}`,
		versionId: 'default',
		openSourceCategory: 'PROPRIETARY',
		launchStage: preview ? 'PUBLIC_PREVIEW' : 'GA',
		versionState: preview ? 'VERSION_STATE_UNSTABLE' : 'VERSION_STATE_STABLE',
	};
}

/** The `Model` resource as the Gemini API returns it (names carry the `models/` prefix). */
export function modelResource(model: FakeGeminiModel): Record<string, unknown> {
	const thinking = model.thinking ?? false;
	return {
		name: `models/${model.name}`,
		version: model.version ?? '001',
		displayName: model.displayName ?? model.name,
		description: model.description ?? `${model.displayName ?? model.name}, served by the fake Gemini.`,
		inputTokenLimit: model.inputTokenLimit ?? MILLION_TOKENS,
		outputTokenLimit: model.outputTokenLimit ?? 65_536,
		supportedGenerationMethods: [...(model.supportedGenerationMethods ?? TEXT_METHODS)],
		temperature: 1,
		topP: 0.95,
		topK: 64,
		maxTemperature: 2,
		...(thinking ? { thinking } : {}),
	};
}
