import type { ModelEvent, ModelRequest } from '../llm/chat-model.js';
import type { ChatModel } from '../llm/chat-model.js';
import { codeExecutionText } from '../llm/code-execution-text.js';
import { ModelError } from '../llm/model-error.js';
import type { TokenUsage } from '../domain/token-usage.js';
import { NO_USAGE } from '../domain/token-usage.js';

type FinishEvent = Extract<ModelEvent, { type: 'finish' }>;

/**
 * Reads one model stream to its end, handing each text delta to `onText` (code Gemini ran comes as fenced text).
 * An idle watchdog aborts the call when Gemini sends nothing for `idleTimeoutMs`; `signal` aborts it from outside (Stop, shutdown, a deleted thread).
 */
export async function consumeStream(
	deps: { readonly model: ChatModel; readonly idleTimeoutMs: number },
	request: Omit<ModelRequest, 'signal'>,
	onText: (text: string) => void,
	signal: AbortSignal,
	onUsage?: (usage: TokenUsage) => void,
): Promise<FinishEvent> {
	const controller = new AbortController();
	const stop = (): void => {
		controller.abort(signal.reason);
	};
	if (signal.aborted) stop();
	signal.addEventListener('abort', stop, { once: true });
	let idle: NodeJS.Timeout | undefined;
	const armIdleTimer = (): void => {
		clearTimeout(idle);
		idle = setTimeout(() => {
			controller.abort(new ModelError('timeout', `No data from the model for ${deps.idleTimeoutMs} ms`));
		}, deps.idleTimeoutMs);
	};
	armIdleTimer();
	let written = '';
	try {
		for await (const event of deps.model.stream({ ...request, signal: controller.signal })) {
			armIdleTimer();
			if (event.type === 'finish') return event;
			if (event.type === 'usage') {
				onUsage?.(event.usage);
				continue;
			}
			const text = event.type === 'text' ? event.text : codeExecutionText(event, written);
			written += text;
			onText(text);
		}
		return {
			type: 'finish',
			finishReason: undefined,
			blockReason: undefined,
			usage: NO_USAGE,
		};
	} finally {
		clearTimeout(idle);
		signal.removeEventListener('abort', stop);
	}
}
