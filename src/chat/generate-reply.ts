import type { ReplyStream, ReplyTarget } from '../discord/stream-reply.js';
import { createReplyStream } from '../discord/stream-reply.js';
import type { ChatModel, ModelEvent, ModelRequest } from '../llm/chat-model.js';
import { ModelError, toModelError } from '../llm/model-error.js';
import type { ModelQueue } from '../llm/model-queue.js';
import { decideRetry } from '../llm/retry-policy.js';
import type { Logger } from '../logger.js';
import type { ModelTurnStatus, TokenUsage } from '../store/session-store.js';
import { describeOutcome, queuedStatusLine, retryStatusLine, WRITING_STATUS_LINE } from './describe-outcome.js';

export type GenerateReplyDeps = {
	readonly model: ChatModel;
	readonly queue: ModelQueue;
	readonly logger: Logger;
	readonly maxAttempts: number;
	readonly idleTimeoutMs: number;
	readonly minEditIntervalMs: number;
	/** How long a reply may wait for a queue slot before it says so. @default 2_000 */
	readonly queueNoticeMs?: number;
	readonly random?: () => number;
};

export type ReplyOutcome = {
	text: string;
	status: ModelTurnStatus;
	finishReason: string | undefined;
	errorCode: string | undefined;
	/** What the reader was told about an answer that did not end normally (shown under or instead of it). */
	note: string | undefined;
	usage: TokenUsage;
	messageIds: string[];
};

type FinishEvent = Extract<ModelEvent, { type: 'finish' }>;

const NO_USAGE: TokenUsage = {
	promptTokens: undefined,
	outputTokens: undefined,
	thoughtsTokens: undefined,
	totalTokens: undefined,
};
const RETRY_PRIORITY = 1;
const QUEUE_NOTICE_MS = 2_000;

/**
 * Streams one model reply into `target`. Each attempt is its own queue task covering the whole stream (so
 * the rate limit counts retries); failures before any text are retried by the retry policy; whatever
 * happens, the reply ends with its final text or a visible note.
 */
export async function generateReply(
	deps: GenerateReplyDeps,
	request: Omit<ModelRequest, 'signal'>,
	target: ReplyTarget,
	signal?: AbortSignal,
): Promise<ReplyOutcome> {
	const reply = createReplyStream(target, { minEditIntervalMs: deps.minEditIntervalMs, logger: deps.logger });
	let ending: FinishEvent | ModelError;
	for (let attempt = 1; ; attempt += 1) {
		const waiting = attempt === 1 ? noticeWhileQueued(deps, reply) : undefined;
		try {
			ending = await deps.queue.run(
				() => {
					waiting?.started();
					return consume(
						deps,
						request,
						(text) => {
							reply.append(text);
						},
						signal,
					);
				},
				{ signal, priority: attempt > 1 ? RETRY_PRIORITY : 0 },
			);
			break;
		} catch (error) {
			waiting?.cancel();
			ending = toModelError(error, signal);
			const decision = decideRetry(ending, attempt, reply.text !== '', {
				maxAttempts: deps.maxAttempts,
				...(deps.random ? { random: deps.random } : {}),
			});
			deps.logger.warn(
				{
					err: ending,
					kind: ending.kind,
					attempt,
					retry: decision.retry,
					delayMs: decision.retry ? decision.delayMs : undefined,
				},
				'model call failed',
			);
			if (!decision.retry) break;
			reply.setStatus(retryStatusLine(ending, decision.delayMs));
			if (decision.pauseQueue) deps.queue.pauseFor(decision.delayMs);
			else if (!(await sleep(decision.delayMs, signal))) {
				ending = toModelError(signal?.reason, signal);
				break;
			}
		}
	}
	const text = reply.text;
	const described = describeOutcome(text, ending);
	const { messageIds } = await reply.finish(described.note);
	return {
		text,
		status: described.status,
		finishReason: ending instanceof ModelError ? undefined : ending.finishReason,
		errorCode: described.errorCode,
		note: described.note,
		usage: ending instanceof ModelError ? NO_USAGE : ending.usage,
		messageIds,
	};
}

/** After queueNoticeMs in the queue, tells the reader why nothing happens yet, and that it has started once it has. */
function noticeWhileQueued(deps: GenerateReplyDeps, reply: ReplyStream): { started(): void; cancel(): void } {
	const ahead = deps.queue.waiting;
	let shown = false;
	const timer = setTimeout(() => {
		shown = true;
		reply.setStatus(queuedStatusLine(ahead));
	}, deps.queueNoticeMs ?? QUEUE_NOTICE_MS);
	return {
		started() {
			clearTimeout(timer);
			if (shown) reply.setStatus(WRITING_STATUS_LINE);
		},
		cancel() {
			clearTimeout(timer);
		},
	};
}

async function consume(
	deps: GenerateReplyDeps,
	request: Omit<ModelRequest, 'signal'>,
	onText: (text: string) => void,
	signal: AbortSignal | undefined,
): Promise<FinishEvent> {
	const controller = new AbortController();
	const stop = (): void => {
		controller.abort(signal?.reason);
	};
	signal?.addEventListener('abort', stop, { once: true });
	let idle: NodeJS.Timeout | undefined;
	const armIdleTimer = (): void => {
		clearTimeout(idle);
		idle = setTimeout(() => {
			controller.abort(new ModelError('timeout', `No data from the model for ${deps.idleTimeoutMs} ms`));
		}, deps.idleTimeoutMs);
	};
	armIdleTimer();
	try {
		for await (const event of deps.model.stream({ ...request, signal: controller.signal })) {
			armIdleTimer();
			if (event.type === 'finish') return event;
			onText(event.text);
		}
		return { type: 'finish', finishReason: undefined, blockReason: undefined, usage: NO_USAGE };
	} finally {
		clearTimeout(idle);
		signal?.removeEventListener('abort', stop);
	}
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
	if (signal?.aborted) return Promise.resolve(false);
	return new Promise((resolve) => {
		const done = (completed: boolean): void => {
			clearTimeout(timer);
			signal?.removeEventListener('abort', onAbort);
			resolve(completed);
		};
		const onAbort = (): void => {
			done(false);
		};
		const timer = setTimeout(() => {
			done(true);
		}, ms);
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}
