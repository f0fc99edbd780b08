import type { ReplyPlan } from './build-response.js';
import type { GeminiScenario } from './types.js';

export type ImageScenario = Extract<GeminiScenario, { kind: 'image' | 'text-only' | 'thoughts-only' }>;

/** What an image model answers: thought, text and images, each text in a single chunk. */
export function imagePlanOf(scenario: ImageScenario): ReplyPlan {
	switch (scenario.kind) {
		case 'image':
			return {
				chunks: scenario.text === undefined ? [] : [scenario.text],
				thought: scenario.thought,
				images: scenario.images,
				usage: scenario.usage,
				finishReason: scenario.finishReason ?? 'STOP',
			};
		case 'text-only':
			return { chunks: [scenario.text], finishReason: 'STOP' };
		case 'thoughts-only':
			return { chunks: [], thought: scenario.thought, finishReason: 'STOP' };
	}
}

export function imageChunkDelayOf(scenario: ImageScenario): number | undefined {
	return scenario.kind === 'image' ? scenario.chunkDelayMs : undefined;
}
