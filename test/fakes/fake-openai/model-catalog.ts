import type { FakeOpenAiModel } from './types.js';

const DEFAULT_CREATED = 1_715_367_049;

/** What `GET /models` lists until `setModels` is called: OpenAI-style entries, no `architecture`. */
export const DEFAULT_FAKE_OPENAI_MODELS: readonly FakeOpenAiModel[] = [
	{ id: 'gpt-4o-mini' },
	{ id: 'gpt-4o' },
	{ id: 'gpt-4.1-mini' },
	{ id: 'o4-mini' },
];

export function toFakeModel(model: string | FakeOpenAiModel): FakeOpenAiModel {
	return typeof model === 'string' ? { id: model } : model;
}

/** The wire form: OpenAI's four fields, plus OpenRouter's `architecture` when modalities were declared. */
export function modelObject(model: FakeOpenAiModel): Record<string, unknown> {
	const object: Record<string, unknown> = {
		id: model.id,
		object: 'model',
		created: model.created ?? DEFAULT_CREATED,
		owned_by: model.ownedBy ?? 'system',
	};
	if (model.inputModalities !== undefined) {
		const input = [...model.inputModalities];
		object.architecture = {
			modality: `${input.join('+')}->text`,
			input_modalities: input,
			output_modalities: ['text'],
		};
	}
	return object;
}

/** True when the model is listed with modalities that leave out images. */
export function isDeclaredTextOnly(models: readonly FakeOpenAiModel[], id: string): boolean {
	const model = models.find((known) => known.id === id);
	return model?.inputModalities !== undefined && !model.inputModalities.includes('image');
}
