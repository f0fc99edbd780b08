// Over 250 lines on purpose: one model call's whole life (queue slot, retries, fallbacks, streaming, the final edit and its
// footer) reads best in one place; the pieces it uses (retry policy, reply text, usage line) are already apart.
import type { GoneReason, ReplyTarget } from '../reply/reply-target.js';
import type { ReplyProgress } from '../reply/stream-reply.js';
import { createReplyStream } from '../reply/stream-reply.js';
import type { WriteBudget } from '../reply/write-budget.js';
import type { ChatModel, GenerationOptions, Grounding, ModelContent, ModelEvent } from '../llm/chat-model.js';
import type { UsageCharge } from '../access/budget-ledger.js';
import type { ModelAddressBook } from '../config/model-address.js';
import type { ProviderLabel } from '../llm/providers/provider-label.js';
import { GEMINI_LABEL } from '../llm/providers/provider-label.js';
import { ModelError, toModelError } from '../llm/model-error.js';
import type { HoldReason } from '../llm/model-gate.js';
import type { ModelQueue } from '../llm/model-queue.js';
import type { Logger } from '../log/logger.js';
import { afterFailure } from './after-failure.js';
import { answerDeleted } from './message-changes.js';
import type { ModelTurnStatus } from '../domain/turn.js';
import type { TokenUsage } from '../domain/token-usage.js';
import { NO_USAGE } from '../domain/token-usage.js';
import { describeOutcome } from './describe-outcome.js';
import { consumeStream } from './consume-stream.js';
import { watchQueue } from './watch-queue.js';
import { sourcesText } from './sources-text.js';
import { fallbackFooter, retryStatusLine } from './status-lines.js';
import { estimateTokens, promptSize } from './token-estimate.js';
import { usageLine } from './usage-line.js';

export type GenerateReplyDeps = {
	readonly model: ChatModel;
	readonly queue: ModelQueue;
	readonly budget: WriteBudget;
	readonly logger: Logger;
	readonly maxAttempts: number;
	readonly idleTimeoutMs: number;
	readonly minEditIntervalMs: number;
	/** How long a reply may wait for a queue slot before it says so. @default 2_000 */
	readonly queueNoticeMs?: number;
	readonly random?: () => number;
	/** Queue lanes back to models (a Vertex lane is `model@location`). @default every lane is a model */
	readonly lanes?: Pick<ModelAddressBook, 'modelOf' | 'locationOf'>;
	/** How replies name a model's provider ("Gemini", "OpenAI", "ollama"). @default Gemini */
	readonly labelOf?: (model: string) => ProviderLabel;
	/** MODEL: the usage line names the model only when another one answered. */
	readonly defaultModel?: string;
	readonly now?: () => number;
};

/** One model call: what to ask, of which models, on whose behalf. */
export type GenerateCall = {
	/** In order of preference: the channel's model, then GEMINI_FALLBACK_MODELS. */
	readonly models: readonly string[];
	/** Whose message or command it answers; waiting calls are shared fairly across members. */
	readonly member: string | undefined;
	/** A line under the reply whatever happens (files left out, say). */
	readonly footer?: string | undefined;
	/** The channel's /settings for the call: tools, temperature, output length, thinking. */
	readonly options?: GenerationOptions | undefined;
	/** Ends the reply with its usage line (tokens, time, speed). */
	readonly showUsage?: boolean | undefined;
	/** The thread's calibrated ratio, for the rate limiter's token estimate. */
	readonly charactersPerToken?: number | undefined;
	/**
	 * The daily budgets: the call reserves its estimate (prompt and longest answer) before it starts, and is settled
	 * with the tokens it used, or refused with a line for the reader. Without it, nothing is charged.
	 */
	readonly charge?: UsageCharge | undefined;
	/**
	 * Built when the call starts (and again for a fallback model), so an edit made while it waited is used. `note` is a
	 * line under the answer about this model's prompt (files it cannot read, say).
	 */
	build(
		model: string,
	): Promise<{ systemInstruction: string; contents: readonly ModelContent[]; note?: string | undefined }>;
};

export type GenerateHooks = {
	/** The model call started (it no longer waits in the queue). */
	readonly onStarted?: () => void;
	readonly onWritten?: (progress: ReplyProgress) => void;
	readonly onGone?: (reason: GoneReason) => void;
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
	/** The model that answered (or was last tried). */
	model: string;
	/** The Vertex AI location that answered, if any. */
	location: string | undefined;
	/** The question was deleted before the call started: nothing was answered and nothing stays posted. */
	withdrawn: boolean;
	/** Set when the answer was grounded with Google Search. */
	grounding: Grounding | undefined;
	/** `usage` is the bot's estimate (or Gemini's running totals) for a call cut short, not Gemini's final count. */
	usageEstimated: boolean;
};

type FinishEvent = Extract<ModelEvent, { type: 'finish' }>;

const RETRY_PRIORITY = 1;

/**
 * Streams one model reply into `target`. Each attempt is its own queue task covering the whole stream (so the rate
 * limits count retries); failures before any text are retried by the retry policy, or move to a fallback model;
 * whatever happens, the reply ends with its final text or a visible note, unless no one can see it any more.
 */
/** One model call through the queue, with retries and fallbacks, streamed into `target` (generateReply, bound). */
export type Generate = (
	call: GenerateCall,
	target: ReplyTarget,
	signal?: AbortSignal,
	hooks?: GenerateHooks,
) => Promise<ReplyOutcome>;

export async function generateReply(
	deps: GenerateReplyDeps,
	call: GenerateCall,
	target: ReplyTarget,
	signal?: AbortSignal,
	hooks: GenerateHooks = {},
): Promise<ReplyOutcome> {
	const gone = new AbortController();
	const stop = signal ? AbortSignal.any([signal, gone.signal]) : gone.signal;
	const reply = createReplyStream(target, {
		minEditIntervalMs: deps.minEditIntervalMs,
		logger: deps.logger,
		budget: deps.budget,
		...(hooks.onWritten ? { onWritten: hooks.onWritten } : {}),
		onGone: (reason) => {
			gone.abort(goneError(reason));
			hooks.onGone?.(reason);
		},
		// Found by the next edit, which may come before Discord's MESSAGE_DELETE event.
		onMessageDeleted: () => {
			gone.abort(answerDeleted());
		},
	});
	const preferred = call.models[0] ?? '';
	const estimatedTokens = estimateTokens(promptSize(await call.build(preferred)), call.charactersPerToken);
	const reservation = await call.charge?.(estimatedTokens + (call.options?.maxOutputTokens ?? 0));
	if (reservation && 'refused' in reservation) {
		const context = { model: preferred, preferred, fellBack: undefined, call, elapsedMs: 0, deps, estimatedTokens };
		return finishReply(reply, new ModelError('budget', reservation.refused), context, undefined);
	}
	let outcome: ReplyOutcome | undefined;
	try {
		outcome = await streamReply(deps, call, reply, { stop, hooks, estimatedTokens, preferred });
		return outcome;
	} finally {
		await reservation?.settle(outcome?.usage ?? NO_USAGE, outcome?.model ?? preferred, outcome?.location);
	}
}

async function streamReply(
	deps: GenerateReplyDeps,
	call: GenerateCall,
	reply: ReplyStream,
	attempt: { stop: AbortSignal; hooks: GenerateHooks; estimatedTokens: number; preferred: string },
): Promise<ReplyOutcome> {
	const { stop, hooks, estimatedTokens, preferred } = attempt;
	const now = deps.now ?? Date.now;
	// Gemini's running totals of the attempt that showed text: a call cut short is charged with them.
	let reported: TokenUsage | undefined;
	let promptNote: string | undefined;
	let elapsedMs = 0;
	let model = preferred;
	let fellBack: HoldReason | undefined;
	let ending: FinishEvent | ModelError;
	for (let attempt = 1; ; attempt += 1) {
		const provider = labelOf(deps, modelOf(deps, model)).name;
		const watch = attempt === 1 ? watchQueue(deps.queue, reply, deps.queueNoticeMs, provider) : undefined;
		try {
			const queued = deps.queue.run(
				{
					member: call.member,
					models: call.models,
					estimatedTokens,
					priority: attempt > 1 ? RETRY_PRIORITY : 0,
					signal: stop,
				},
				async (chosen) => {
					watch?.started();
					hooks.onStarted?.();
					model = chosen;
					const startedAt = now();
					const { systemInstruction, contents, note } = await call.build(modelOf(deps, chosen));
					promptNote = note;
					const finish = await consumeStream(
						deps,
						{ model: chosen, systemInstruction, contents, options: call.options },
						(text) => {
							reply.append(text);
						},
						stop,
						(usage) => {
							reported = usage;
						},
					);
					deps.queue.charge(chosen, (finish.usage.outputTokens ?? 0) + (finish.usage.thoughtsTokens ?? 0));
					elapsedMs = now() - startedAt;
					return finish;
				},
			);
			watch?.track(queued.ticket);
			ending = await queued.result;
			break;
		} catch (error) {
			watch?.cancel();
			ending = toModelError(error, stop);
			const step = afterFailure(deps, {
				error: ending,
				model,
				models: call.models,
				attempt,
				textShown: reply.text !== '',
			});
			deps.logger.warn({ err: ending, kind: ending.kind, model, attempt, ...step }, 'model call failed');
			if (!step.retry) break;
			fellBack = step.fallback ?? fellBack;
			// A move to another model or location at once has nothing to wait for, so nothing to say.
			if (step.fallback === undefined && step.delayMs > 0) {
				reply.setStatus(retryStatusLine(ending, step.delayMs, provider));
			}
			if (step.waitMs > 0 && !(await sleep(step.waitMs, stop))) {
				ending = toModelError(stop.reason, stop);
				break;
			}
		}
	}
	const answered = modelOf(deps, model);
	const fellBackFrom = answered === preferred ? undefined : fellBack;
	const location = deps.lanes?.locationOf(model);
	const context = {
		model: answered,
		location,
		preferred,
		fellBack: fellBackFrom,
		call,
		elapsedMs,
		deps,
		estimatedTokens,
		promptNote,
	};
	return finishReply(reply, ending, context, reported);
}

function modelOf(deps: GenerateReplyDeps, lane: string): string {
	return deps.lanes?.modelOf(lane) ?? lane;
}

function labelOf(deps: GenerateReplyDeps, model: string): ProviderLabel {
	return deps.labelOf?.(model) ?? GEMINI_LABEL;
}

type ReplyStream = ReturnType<typeof createReplyStream>;

async function finishReply(
	reply: ReplyStream,
	ending: FinishEvent | ModelError,
	context: {
		/** The model that answered (or was last tried), and the Vertex location it ran in. */
		model: string;
		location?: string | undefined;
		preferred: string;
		fellBack: HoldReason | undefined;
		call: GenerateCall;
		elapsedMs: number;
		deps: GenerateReplyDeps;
		/** The prompt's estimated tokens: charged for a call cut short before Gemini reported its own count. */
		estimatedTokens: number;
		/** The last prompt's own line (files the answering model could not read). */
		promptNote?: string | undefined;
	},
	reported: TokenUsage | undefined,
): Promise<ReplyOutcome> {
	const { model, preferred } = context;
	const text = reply.text;
	const label = labelOf(context.deps, model);
	let described = describeOutcome(text, ending, Date.now(), label);
	const failed = ending instanceof ModelError;
	const withdrawn = failed && ending.kind === 'withdrawn';
	let messageIds: string[] = [];
	if (withdrawn) await reply.discard();
	else if (failed && ending.kind === 'gone') messageIds = (await reply.finish({ silent: true })).messageIds;
	else {
		const answeredBy =
			model === preferred || failed
				? undefined
				: fallbackFooter(model, preferred, context.fellBack ?? context.deps.queue.heldOff(preferred)?.reason);
		// Added in the final edit only, so it never flickers while the answer streams.
		const usage =
			context.call.showUsage === true && !failed
				? usageLine(ending.usage, context.elapsedMs, {
						answeredBy: model,
						defaultModel: context.deps.defaultModel ?? preferred,
					})
				: undefined;
		const footer = [context.call.footer, context.promptNote, answeredBy, usage]
			.filter((line) => line !== undefined)
			.join('\n');
		const sources = failed ? undefined : sourcesText(ending.grounding);
		messageIds = (await reply.finish({ sources, note: described.note, footer: footer || undefined })).messageIds;
		// The final write found the thread gone: whatever the model did, nobody saw the end of it.
		if (reply.gone !== undefined) described = describeOutcome(text, goneError(reply.gone), Date.now(), label);
	}
	return {
		text,
		status: described.status,
		finishReason: failed ? undefined : ending.finishReason,
		errorCode: described.errorCode,
		note: described.note,
		usage: failed ? cutShortUsage(text, reported, context) : ending.usage,
		messageIds,
		model,
		location: context.location,
		withdrawn,
		grounding: failed ? undefined : ending.grounding,
		usageEstimated: failed,
	};
}

/**
 * A call that ended without Gemini's final count (stopped, cut, failed mid-stream) still cost what it produced: the
 * running totals Gemini reported (prompt, thinking) and the answer's text on screen, estimated. A call that produced
 * nothing (refused, failed before its first chunk) costs nothing.
 */
function cutShortUsage(
	text: string,
	reported: TokenUsage | undefined,
	context: { readonly estimatedTokens: number; readonly call: GenerateCall },
): TokenUsage {
	if (text === '' && reported === undefined) return NO_USAGE;
	return {
		promptTokens: reported?.promptTokens ?? context.estimatedTokens,
		outputTokens: estimateTokens({ characters: text.length, inlineFiles: 0 }, context.call.charactersPerToken),
		thoughtsTokens: reported?.thoughtsTokens,
		totalTokens: undefined,
		cachedTokens: reported?.cachedTokens,
	};
}

function goneError(reason: GoneReason): ModelError {
	const code = reason === 'forbidden' ? 'missing-permission' : `thread-${reason}`;
	return new ModelError('gone', `The reply's thread is ${reason}`, { code });
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
	if (signal.aborted) return Promise.resolve(false);
	return new Promise((resolve) => {
		const done = (completed: boolean): void => {
			clearTimeout(timer);
			signal.removeEventListener('abort', onAbort);
			resolve(completed);
		};
		const onAbort = (): void => {
			done(false);
		};
		const timer = setTimeout(() => {
			done(true);
		}, ms);
		signal.addEventListener('abort', onAbort, { once: true });
	});
}
