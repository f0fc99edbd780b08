export { startFakeGemini } from './start-fake-gemini.js';
export type {
	ErrorContentType,
	FakeGemini,
	FakeGeminiStats,
	GeminiAction,
	GeminiResponder,
	GeminiScenario,
	GeminiUsage,
	RecordedGeminiRequest,
	StartFakeGeminiOptions,
} from './types.js';
