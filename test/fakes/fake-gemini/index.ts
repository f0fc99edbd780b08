export { startFakeGemini } from './start-fake-gemini.js';
export type {
	ErrorContentType,
	FakeGemini,
	FakeGeminiStats,
	GeminiAction,
	GeminiImage,
	GeminiResponder,
	GeminiScenario,
	GeminiUsage,
	RecordedContent,
	RecordedGeminiRequest,
	RecordedInlineData,
	RecordedPart,
	StartFakeGeminiOptions,
} from './types.js';
export type { GeminiCodeExecution, GeminiGrounding, GeminiGroundingSupport, GeminiUrlContext } from './tool-types.js';
