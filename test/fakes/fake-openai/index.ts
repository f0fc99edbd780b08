export { DEFAULT_FAKE_OPENAI_MODELS } from './model-catalog.js';
export { startFakeOpenAi } from './start-fake-openai.js';
export type {
	FakeOpenAi,
	FakeOpenAiModel,
	FakeOpenAiStats,
	ModelsOutage,
	OpenAiErrorBody,
	OpenAiErrorPreset,
	OpenAiReasoningField,
	OpenAiResponder,
	OpenAiScenario,
	OpenAiUsage,
	RecordedChatRequest,
	RecordedImage,
	RecordedMessage,
	RecordedModelsRequest,
	StartFakeOpenAiOptions,
} from './types.js';
