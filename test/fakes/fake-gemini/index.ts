export { DEFAULT_FAKE_MODELS } from './model-catalog.js';
export { startFakeGemini } from './start-fake-gemini.js';
export type {
	ErrorContentType,
	FakeGemini,
	FakeGeminiModel,
	FakeGeminiStats,
	GeminiAction,
	GeminiImage,
	GeminiResponder,
	GeminiScenario,
	GeminiUsage,
	ModelsOutage,
	RecordedContent,
	RecordedGeminiRequest,
	RecordedInlineData,
	RecordedModelsRequest,
	RecordedPart,
	StartFakeGeminiOptions,
	VertexScope,
} from './types.js';
export type { GeminiCodeExecution, GeminiGrounding, GeminiGroundingSupport, GeminiUrlContext } from './tool-types.js';
