import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { ModelEvent } from '../../src/llm/chat-model.js';
import { ModelError } from '../../src/llm/model-error.js';
import { retryDelayMs } from '../../src/llm/openai/openai-error.js';
import { createOpenAiModel } from '../../src/llm/openai/openai-model.js';
import { createModelAddressBook } from '../../src/config/model-address.js';

/** A client whose stream ends quietly when aborted, as the `openai` client does once the headers have arrived. */
function quietlyAbortingClient(): OpenAI {
	const create = (_body: unknown, options: { signal: AbortSignal }) =>
		Promise.resolve(
			(async function* () {
				yield { choices: [{ index: 0, delta: { content: 'Partial' }, finish_reason: null }] };
				if (!options.signal.aborted) {
					await new Promise((resolve) => {
						options.signal.addEventListener('abort', resolve, { once: true });
					});
				}
			})(),
		);
	return { chat: { completions: { create } } } as unknown as OpenAI;
}

describe('OpenAI-compatible chat model', () => {
	it('turns a stream the client ended quietly on abort into the stop that caused it, not a finished answer', async () => {
		const model = createOpenAiModel({
			addresses: createModelAddressBook(['openai']),
			clientFor: () => quietlyAbortingClient(),
			usesMaxCompletionTokens: () => false,
		});
		const controller = new AbortController();
		const events: ModelEvent[] = [];
		const reading = (async () => {
			for await (const event of model.stream({
				model: 'openai/m',
				systemInstruction: 'persona',
				contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
				signal: controller.signal,
			})) {
				events.push(event);
				if (event.type === 'text') controller.abort(new ModelError('stopped', 'Stopped by Alice.'));
			}
		})();
		await expect(reading).rejects.toThrow('Stopped by Alice.');
		expect(events).toEqual([{ type: 'text', text: 'Partial' }]);
	});

	it('reads how long a 429 asks to wait: retry-after-ms, else retry-after in seconds or as a date', () => {
		const now = Date.UTC(2026, 11, 7, 12);
		expect(retryDelayMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
		expect(retryDelayMs(new Headers({ 'retry-after': '2' }), now)).toBe(2_000);
		expect(retryDelayMs(new Headers({ 'retry-after': new Date(now + 3_000).toUTCString() }), now)).toBe(3_000);
		expect(retryDelayMs(new Headers(), now)).toBeUndefined();
	});
});
