import type { ChatModel, ModelEvent, ModelRequest } from '../../src/llm/chat-model.js';
import type { ModelError } from '../../src/llm/model-error.js';

export type FakeModelStep =
	| { text: string; delayMs?: number }
	| { error: ModelError; delayMs?: number }
	| { finishReason: string | undefined; blockReason?: string }
	| { hang: true };

const usage = { promptTokens: 3, outputTokens: 4, thoughtsTokens: undefined, totalTokens: 7 };

/** A ChatModel that plays one scripted stream per call and records every request. */
export function createFakeModel(scripts: FakeModelStep[][]) {
	const requests: ModelRequest[] = [];
	const model: ChatModel = {
		async *stream(request): AsyncGenerator<ModelEvent> {
			requests.push(request);
			const script = scripts.shift() ?? [{ text: 'default answer' }, { finishReason: 'STOP' }];
			for (const step of script) {
				if ('delayMs' in step && step.delayMs) await sleep(step.delayMs, request.signal);
				if ('hang' in step) await sleep(Number.POSITIVE_INFINITY, request.signal);
				if ('error' in step) throw step.error;
				if ('text' in step) yield { type: 'text', text: step.text };
				if ('finishReason' in step) {
					yield { type: 'finish', finishReason: step.finishReason, blockReason: step.blockReason, usage };
					return;
				}
			}
		},
	};
	return { model, requests };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		const abort = () => {
			clearTimeout(timer);
			reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
		};
		const timer = Number.isFinite(ms)
			? setTimeout(() => {
					signal.removeEventListener('abort', abort);
					resolve();
				}, ms)
			: undefined;
		if (signal.aborted) abort();
		else signal.addEventListener('abort', abort, { once: true });
	});
}
